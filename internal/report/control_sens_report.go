package report

// The inventory of sensitive functions (the functions, the people in them,
// the plan of measures) and procedure coverage are wide tables: they print
// on A4 landscape pages, in PDF (WriteLandscapeReportPDF) and in DOCX
// (WriteLandscapeReportDOCX, nc_report.go) for the quality office to edit
// and sign.
