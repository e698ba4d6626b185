package control

import "strconv"

func programmeHref(id int64) string { return "/control/programmes/" + strconv.FormatInt(id, 10) }
func actionHref(id int64) string    { return "/control/actions/" + strconv.FormatInt(id, 10) }
func bodyHref(id int64) string      { return "/control/bodies/" + strconv.FormatInt(id, 10) }
func meetingHref(id int64) string   { return "/control/meetings/" + strconv.FormatInt(id, 10) }
