package frameworks

// osgg2018 is the code approved by OSGG 600/2018. The names of the
// standards and components are the order's; the requirements and the
// questions are our own words (helper H6 writes them).
var osgg2018 = OSGG{
	Version: "2018",
	Title:   "OSGG nr. 600/2018",
	Components: []OSGGComponent{
		{Code: "I", TitleRO: "Mediul de control", TitleEN: "Control environment", Standards: []OSGGStandard{
			{Number: 1, Component: "I", TitleRO: "Etica și integritatea", TitleEN: "Ethics and integrity", ISO: []string{"5.1", "7.3"}, CAF: []string{"1.1", "1.3"}},
			{Number: 2, Component: "I", TitleRO: "Atribuții, funcții, sarcini", TitleEN: "Duties, functions, tasks", ISO: []string{"5.3"}, CAF: []string{"1.2"}},
			{Number: 3, Component: "I", TitleRO: "Competența, performanța", TitleEN: "Competence, performance", ISO: []string{"7.1.2", "7.2", "7.3"}, CAF: []string{"3.1", "3.2"}},
			{Number: 4, Component: "I", TitleRO: "Structura organizatorică", TitleEN: "Organisational structure", ISO: []string{"4.4", "5.3"}, CAF: []string{"1.2"}},
		}},
		{Code: "II", TitleRO: "Performanțe și managementul riscului", TitleEN: "Performance and risk management", Standards: []OSGGStandard{
			{Number: 5, Component: "II", TitleRO: "Obiective", TitleEN: "Objectives", ISO: []string{"6.2"}, CAF: []string{"1.1", "2.2"}},
			{Number: 6, Component: "II", TitleRO: "Planificarea", TitleEN: "Planning", ISO: []string{"6.1", "6.3", "8.1"}, CAF: []string{"2.2", "2.3"}},
			{Number: 7, Component: "II", TitleRO: "Monitorizarea performanțelor", TitleEN: "Monitoring of performance", ISO: []string{"9.1"}, CAF: []string{"1.2", "2.3", "9.1", "9.2"}},
			{Number: 8, Component: "II", TitleRO: "Managementul riscului", TitleEN: "Risk management", ISO: []string{"6.1"}, CAF: []string{"1.2", "2.2"}},
		}},
		{Code: "III", TitleRO: "Activități de control", TitleEN: "Control activities", Standards: []OSGGStandard{
			{Number: 9, Component: "III", TitleRO: "Proceduri", TitleEN: "Procedures", ISO: []string{"4.4", "7.5", "8.1"}, CAF: []string{"5.1"}},
			{Number: 10, Component: "III", TitleRO: "Supravegherea", TitleEN: "Supervision", ISO: []string{"8.5.1", "9.1.1"}, CAF: []string{"1.2", "5.3"}},
			{Number: 11, Component: "III", TitleRO: "Continuitatea activității", TitleEN: "Business continuity", ISO: []string{"6.1", "7.1.3"}, CAF: []string{"2.4", "4.5", "4.6"}},
		}},
		{Code: "IV", TitleRO: "Informarea și comunicarea", TitleEN: "Information and communication", Standards: []OSGGStandard{
			{Number: 12, Component: "IV", TitleRO: "Informarea și comunicarea", TitleEN: "Information and communication", ISO: []string{"7.4"}, CAF: []string{"1.3", "2.3", "4.4"}},
			{Number: 13, Component: "IV", TitleRO: "Gestionarea documentelor", TitleEN: "Document management", ISO: []string{"7.5"}, CAF: []string{"4.4"}},
			{Number: 14, Component: "IV", TitleRO: "Raportarea contabilă și financiară", TitleEN: "Accounting and financial reporting", ISO: []string{"7.1.1"}, CAF: []string{"4.3"}},
		}},
		{Code: "V", TitleRO: "Evaluare și audit", TitleEN: "Evaluation and audit", Standards: []OSGGStandard{
			{Number: 15, Component: "V", TitleRO: "Evaluarea sistemului de control intern managerial", TitleEN: "Evaluation of the internal managerial control system", ISO: []string{"9.1.3", "9.3"}, CAF: []string{"1.2", "2.3"}},
			{Number: 16, Component: "V", TitleRO: "Auditul intern", TitleEN: "Internal audit", ISO: []string{"9.2"}, CAF: []string{"1.2", "2.3"}},
		}},
	},
}
