package web

import "testing"

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		// A's service, so the public pages of TestEveryPageRenders find
		// /public/{cui}/services/{code} and /f/{cui}/{code}.
		svc := publicSeed(t, f, f.A, publicServiceCode)
		why := "public page with no sign-in: the institution is in the path, never taken from a session, and a case opens only with its number and access code (TestPublicAccessCode: another case's number, another institution's CUI, throttled guessing; TestPublicLimits: closed public pages)"
		return isolationRecords{
			Params: map[string]string{"{cui}": f.A.Inst.CUI, "{code}": svc.Code},
			Own: map[string]string{
				"GET /public":                       "the directory of institutions with open public pages: names and links only, the same for everyone",
				"GET /public/{cui}":                 why,
				"GET /public/{cui}/services/{code}": why,
				"GET /public/{cui}/file":            why,
				"POST /public/{cui}/file":           why,
				"GET /public/{cui}/status":          why,
				"POST /public/{cui}/status":         why,
				"POST /public/{cui}/status/rate":    why,
				"GET /f/{cui}/{code}":               why,
				"POST /f/{cui}/{code}":              why,
			},
		}
	})
}
