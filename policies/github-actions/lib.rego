# METADATA
# title: GitHub Actions policy helpers
# description: |-
#   Shared helpers for the built-in GitHub Actions policy pack. This package
#   holds no deny_/warn_ rules. Input is one workflow file
#   (.github/workflows/*.yml) read as YAML 1.2, so `on` is a string key. The
#   built-in bundle evaluates every package against every document of every
#   format, so every helper first checks is_workflow, and any JSON value
#   (null, a string, an array, an object of any shape) evaluates without
#   runtime errors and yields nothing.
package github_actions.lib

# ---------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------

# is_workflow holds when the input is an object with a jobs object and an
# `on` trigger (a string, an array or an object).
is_workflow if {
	is_object(input)
	is_object(input.jobs)
	is_trigger(input.on)
}

is_trigger(on) if is_string(on)

is_trigger(on) if is_array(on)

is_trigger(on) if is_object(on)

# triggers is the set of event names the workflow runs on.
triggers contains input.on if {
	is_workflow
	is_string(input.on)
}

triggers contains event if {
	is_workflow
	is_array(input.on)
	some event in input.on
	is_string(event)
}

triggers contains event if {
	is_workflow
	is_object(input.on)
	some event, _ in input.on
}

# ---------------------------------------------------------------------------
# Jobs and steps
# ---------------------------------------------------------------------------

# jobs is the set of {"id": <job id>, "job": <object>, "path": ["jobs", id]}.
jobs contains {"id": id, "job": job, "path": ["jobs", id]} if {
	is_workflow
	some id, job in input.jobs
	is_object(job)
}

# steps is the set of {"job": <element of jobs>, "index": <step index>,
# "step": <object>, "path": ["jobs", id, "steps", index], "label": `step "name"`}.
steps contains {
	"job": job,
	"index": i,
	"step": step,
	"path": array.concat(job.path, ["steps", i]),
	"label": step_label(i, step),
} if {
	some job in jobs
	list := job.job.steps
	is_array(list)
	some i, step in list
	is_object(step)
}

step_label(i, step) := sprintf(`step "%s"`, [step.name]) if {
	is_string(step.name)
	step.name != ""
} else := sprintf(`step "%s"`, [step.id]) if {
	is_string(step.id)
	step.id != ""
} else := sprintf("step #%d", [i])

# job_label names a job in messages: `job "build"`.
job_label(job) := sprintf(`job "%s"`, [job.id])

# has_permissions holds when the object sets a permissions key to a non-null
# value (`permissions: {}` counts: it grants nothing).
has_permissions(obj) if {
	is_object(obj)
	obj.permissions != null
}

# ---------------------------------------------------------------------------
# uses: references
# ---------------------------------------------------------------------------

# uses_refs is the set of every `uses:` of the workflow, in steps (actions)
# and in jobs (reusable workflows):
# {"uses": <string>, "path": <path to the uses key>, "what": "action" | "reusable workflow",
#  "label": <where it is, e.g. `job "build": step "Checkout"`>}.
uses_refs contains {
	"uses": s.step.uses,
	"path": array.concat(s.path, ["uses"]),
	"what": "action",
	"label": sprintf("%s: %s", [job_label(s.job), s.label]),
} if {
	some s in steps
	is_string(s.step.uses)
}

uses_refs contains {
	"uses": job.job.uses,
	"path": array.concat(job.path, ["uses"]),
	"what": "reusable workflow",
	"label": job_label(job),
} if {
	some job in jobs
	is_string(job.job.uses)
}

is_local(uses) if startswith(trim_space(uses), "./")

is_docker(uses) if startswith(trim_space(uses), "docker://")

# action_name returns "owner/repo[/path]" of a repository reference.
action_name(uses) := substring(u, 0, last_at(u)) if {
	u := trim_space(uses)
	contains(u, "@")
} else := trim_space(uses)

# action_ref returns the ref after the last @; "" when there is none.
action_ref(uses) := substring(u, last_at(u) + 1, -1) if {
	u := trim_space(uses)
	contains(u, "@")
} else := ""

last_at(s) := (count(s) - count(parts[count(parts) - 1])) - 1 if {
	parts := split(s, "@")
}

action_owner(uses) := lower(split(action_name(uses), "/")[0])

is_full_sha(ref) if regex.match(`^[0-9a-fA-F]{40}$`, ref)
