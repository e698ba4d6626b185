-- Management reviews (ISO 9001 9.3, analiza efectuată de management): the
-- meeting, its participants, the inputs compiled from live data (a frozen
-- snapshot of facts per input, with the quality office's assessment), the
-- decisions (outputs) and the actions that reach their owners' inboxes.

CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    code           TEXT NOT NULL,
    sort_code      TEXT NOT NULL,
    year           INTEGER NOT NULL,
    title          TEXT NOT NULL,
    -- The period reviewed, both days inclusive (YYYY-MM-DD).
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL,
    meeting_on     TEXT NOT NULL,
    place          TEXT NOT NULL DEFAULT '',
    chair_id       INTEGER REFERENCES people(id),
    guests         TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    -- The review this one was prepared from ("prepare the next review").
    previous_id    INTEGER REFERENCES reviews(id),
    -- When the inputs were last compiled, and for which period.
    compiled_at    TIMESTAMP,
    compiled_by    TEXT NOT NULL DEFAULT '',
    compiled_from  TEXT NOT NULL DEFAULT '',
    compiled_to    TEXT NOT NULL DEFAULT '',
    held_on        TEXT NOT NULL DEFAULT '',
    closed_on      TEXT NOT NULL DEFAULT '',
    -- Management's overall conclusion on the suitability, adequacy and
    -- effectiveness of the quality management system.
    conclusion     TEXT NOT NULL DEFAULT '',
    cancel_reason  TEXT NOT NULL DEFAULT '',
    search_text    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX reviews_tenant_year ON reviews (tenant_id, year, state);
CREATE INDEX reviews_tenant_meeting ON reviews (tenant_id, meeting_on);
CREATE INDEX reviews_previous ON reviews (tenant_id, previous_id);

-- The people of the institution invited to the meeting.
CREATE TABLE review_participants (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    review_id   INTEGER NOT NULL REFERENCES reviews(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (review_id, person_id)
);
CREATE INDEX review_participants_person ON review_participants (tenant_id, person_id);

-- One input (9.3.2 a-f) of a review: the facts compiled (a JSON list,
-- frozen once the meeting is held), the written assessment and the
-- conclusion (adequate, needs_action).
CREATE TABLE review_inputs (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    review_id   INTEGER NOT NULL REFERENCES reviews(id),
    input       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    facts       TEXT NOT NULL DEFAULT '[]',
    assessment  TEXT NOT NULL DEFAULT '',
    conclusion  TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (review_id, input)
);

-- The outputs (9.3.3): improvement opportunities, changes needed to the
-- QMS, resource needs.
CREATE TABLE review_decisions (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    review_id   INTEGER NOT NULL REFERENCES reviews(id),
    category    TEXT NOT NULL,
    input       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX review_decisions_review ON review_decisions (tenant_id, review_id, id);

-- The actions decided, each with an owner and a due day: a task in the
-- owner's inbox until it is done or cancelled.
CREATE TABLE review_actions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    review_id     INTEGER NOT NULL REFERENCES reviews(id),
    decision_id   INTEGER REFERENCES review_decisions(id),
    description   TEXT NOT NULL,
    owner_id      INTEGER NOT NULL REFERENCES people(id),
    due_on        TEXT NOT NULL,
    state         TEXT NOT NULL,
    done_note     TEXT NOT NULL DEFAULT '',
    done_on       TEXT NOT NULL DEFAULT '',
    done_by       TEXT NOT NULL DEFAULT '',
    cancel_reason TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX review_actions_review ON review_actions (tenant_id, review_id, id);
CREATE INDEX review_actions_due ON review_actions (tenant_id, state, due_on);
CREATE INDEX review_actions_owner ON review_actions (tenant_id, owner_id, state);

-- Workflow steps of a review, for its history and the minutes' sign-off.
CREATE TABLE review_steps (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    review_id   INTEGER NOT NULL REFERENCES reviews(id),
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX review_steps_review ON review_steps (tenant_id, review_id, id);
