package documents

import (
	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/workflow"
)

// Actions on a version.
const (
	ActSubmit        = "submit"         // the author sends the draft for checking ("Elaborat")
	ActVerify        = "verify"         // checked, on to approval ("Verificat")
	ActVerifyEndorse = "verify_endorse" // checked, on to endorsement
	ActEndorse       = "endorse"        // endorsed ("Avizat")
	ActApprove       = "approve"        // approved ("Aprobat"); in force from its effective date
	ActReject        = "reject"         // back to the author, with a reason
	ActEnterForce    = "enter_force"    // the effective date came (system)
	ActSupersede     = "supersede"      // a newer version came into force (system)
	ActWithdraw      = "withdraw"       // no longer applies, with a reason
)

// gate is a version as one actor sees it, for the workflow's guards.
type gate struct {
	v      Version
	editor bool // the actor may edit the document
}

// signer refuses anyone but the person named for this step, and the author
// of the version: nobody checks or approves their own text.
func signer(pick func(Version) int64) func(auth.Actor, gate) error {
	return func(a auth.Actor, g gate) error {
		if a.System || a.UserID == 0 || pick(g.v) != a.UserID {
			return apperr.Forbidden("documents.sign")
		}
		if a.UserID == g.v.AuthorID {
			return apperr.Conflict("documents.error.own_signoff")
		}
		return nil
	}
}

func verifier(v Version) int64 { return v.VerifierID }
func endorser(v Version) int64 { return v.EndorserID }
func approver(v Version) int64 { return v.ApproverID }

// currentSigner is whoever signs the step the version waits in.
func currentSigner(v Version) int64 {
	switch v.State {
	case StateVerification:
		return v.VerifierID
	case StateEndorsement:
		return v.EndorserID
	case StateApproval:
		return v.ApproverID
	}
	return 0
}

func systemOnly(a auth.Actor, _ gate) error {
	if !a.System {
		return apperr.Forbidden("documents.system")
	}
	return nil
}

func editorOnly(a auth.Actor, g gate) error {
	if !g.editor {
		return apperr.Forbidden(string(auth.PermDocsEdit))
	}
	return nil
}

// Flow is the document workflow: draft, verification, endorsement
// (optional), approval, approved (waiting for its effective date), in
// force, then superseded by a newer version or withdrawn.
var Flow = workflow.New("document", StateDraft,
	[]workflow.State{StateDraft, StateVerification, StateEndorsement, StateApproval, StateApproved, StateInForce, StateSuperseded, StateWithdrawn},
	workflow.Transition[gate]{Name: ActSubmit, From: []workflow.State{StateDraft}, To: StateVerification, Guard: editorOnly},
	workflow.Transition[gate]{Name: ActVerify, From: []workflow.State{StateVerification}, To: StateApproval,
		Guard: func(a auth.Actor, g gate) error {
			if g.v.EndorserID != 0 {
				return apperr.Conflict("workflow.error.transition")
			}
			return signer(verifier)(a, g)
		}},
	workflow.Transition[gate]{Name: ActVerifyEndorse, From: []workflow.State{StateVerification}, To: StateEndorsement,
		Guard: func(a auth.Actor, g gate) error {
			if g.v.EndorserID == 0 {
				return apperr.Conflict("workflow.error.transition")
			}
			return signer(verifier)(a, g)
		}},
	workflow.Transition[gate]{Name: ActEndorse, From: []workflow.State{StateEndorsement}, To: StateApproval, Guard: signer(endorser)},
	workflow.Transition[gate]{Name: ActApprove, From: []workflow.State{StateApproval}, To: StateApproved, Guard: signer(approver)},
	workflow.Transition[gate]{Name: ActReject, From: []workflow.State{StateVerification, StateEndorsement, StateApproval}, To: StateDraft,
		Reason: true, Guard: signer(currentSigner)},
	workflow.Transition[gate]{Name: ActEnterForce, From: []workflow.State{StateApproved}, To: StateInForce, Guard: systemOnly},
	workflow.Transition[gate]{Name: ActSupersede, From: []workflow.State{StateInForce}, To: StateSuperseded, Guard: systemOnly},
	workflow.Transition[gate]{Name: ActWithdraw, From: []workflow.State{StateApproved, StateInForce}, To: StateWithdrawn,
		Perm: auth.PermDocsManage, Reason: true},
)

// signStep names the sign-off an action records (the rows of section 1).
var signStep = map[string]string{
	ActSubmit:        "drafted",
	ActVerify:        "verified",
	ActVerifyEndorse: "verified",
	ActEndorse:       "endorsed",
	ActApprove:       "approved",
	ActReject:        "rejected",
}
