# METADATA
# title: Dockerfile policy helpers
# description: |-
#   Shared helpers for the built-in Dockerfile policy pack. This package holds
#   no deny_/warn_ rules. Input is one Dockerfile in the shape of conftest's
#   Dockerfile parser (buildkit's instruction parser): an array of
#   {"Cmd", "Flags", "Value", "JSON", "Stage", "SubCmd"} objects, Cmd in lower
#   case, comments as Cmd "comment". The built-in bundle evaluates every
#   package against every document of every format, so every helper first
#   checks is_dockerfile, and any JSON value (null, a string, an object, an
#   array of anything) evaluates without runtime errors and yields nothing.
package dockerfile.lib

# ---------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------

# is_dockerfile holds when the input is a non-empty array of instruction
# objects, each with a string Cmd and a Value array. Value may also be null:
# buildkit gives null for an empty exec form such as `CMD []`.
is_dockerfile if {
	is_array(input)
	count(input) > 0
	every instruction in input {
		is_instruction(instruction)
	}
}

is_instruction(x) if {
	is_object(x)
	is_string(x.Cmd)
	is_value_list(x.Value)
}

is_value_list(v) if is_array(v)

is_value_list(null)

# ---------------------------------------------------------------------------
# Instructions and stages
# ---------------------------------------------------------------------------

# instructions is the input as an array of
# {"index": <position in the input>, "cmd": <lower-case Cmd>,
#  "subcmd": <lower-case SubCmd of ONBUILD, else "">, "value": <array>,
#  "flags": <array>}; [] for anything that is not a Dockerfile.
instructions := [normalize(i, instruction) | some i, instruction in input] if {
	is_dockerfile
} else := []

normalize(i, instruction) := {
	"index": i,
	"cmd": lower(instruction.Cmd),
	"subcmd": lower_or_empty(instruction.SubCmd),
	"value": array_or_empty(instruction.Value),
	"flags": array_or_empty(instruction.Flags),
}

array_or_empty(v) := v if is_array(v)

else := []

lower_or_empty(v) := lower(v) if is_string(v)

else := ""

# stages is the array of build stages in order, each
# {"number": <0-based stage number>, "index": <index of its FROM>,
#  "image": <image as written, "" when missing>, "name": <lower-case AS name, or "">}.
stages := [stage(n, ins) | some n, ins in from_instructions]

from_instructions := [ins | some ins in instructions; ins.cmd == "from"]

stage(n, ins) := {
	"number": n,
	"index": ins.index,
	"image": string_at(ins.value, 0),
	"name": stage_name(ins.value),
}

stage_name(value) := lower(name) if {
	lower(string_at(value, 1)) == "as"
	name := string_at(value, 2)
} else := ""

string_at(arr, i) := arr[i] if is_string(arr[i])

else := ""

# stage_of returns the number of the stage instruction index i belongs to;
# -1 for instructions before the first FROM (global ARGs, comments).
stage_of(i) := count([s | some s in stages; s.index <= i]) - 1

final_stage := stages[count(stages) - 1]

# stage_label names a stage in messages: `stage "builder"` or `stage #2`.
stage_label(s) := sprintf(`stage "%s"`, [s.name]) if {
	s.name != ""
} else := sprintf("stage #%d", [s.number])

# parent_stage returns the number of the earlier stage that stage s is built
# FROM (`FROM builder`), undefined when its base is an image.
parent_stage(s) := parent.number if {
	image := lower(resolve(s.image))
	some parent in stages
	parent.number < s.number
	parent.name != ""
	parent.name == image
}

# ---------------------------------------------------------------------------
# ARG substitution
# ---------------------------------------------------------------------------

# arg_entries returns the declarations of an ARG instruction as
# {"name", "value": <default with quotes removed, or null>, "pos"}.
arg_entries(ins) := [entry |
	some pos, word in ins.value
	is_string(word)
	entry := arg_entry(word, pos)
]

arg_entry(word, pos) := {"name": name, "value": unquote(value), "pos": pos} if {
	contains(word, "=")
	eq := indexof(word, "=")
	name := substring(word, 0, eq)
	value := substring(word, eq + 1, -1)
} else := {"name": word, "value": null, "pos": pos}

# unquote removes one pair of matching surrounding quotes.
unquote(s) := substring(s, 1, count(s) - 2) if {
	count(s) >= 2
	some q in [`"`, "'"]
	startswith(s, q)
	endswith(s, q)
} else := s

# global_arg_entries are the ARG declarations before the first FROM, the only
# ones in scope of FROM lines.
global_arg_entries := [object.union(entry, {"rank": (ins.index * 1000) + entry.pos}) |
	some ins in instructions
	ins.cmd == "arg"
	ins.index < stages[0].index
	some entry in arg_entries(ins)
]

# global_args maps each global ARG name to its default (the last declaration
# wins), null when it is declared without a default.
global_args[name] := entry.value if {
	some name in {e.name | some e in global_arg_entries}
	last := max({e.rank | some e in global_arg_entries; e.name == name})
	some entry in global_arg_entries
	entry.rank == last
}

# resolve substitutes the global ARG defaults into s ($NAME, ${NAME},
# ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}). Undefined when a
# variable has no default (it can only come from --build-arg) or uses another
# modifier.
resolve(s) := s if {
	is_string(s)
	not contains(s, "$")
} else := resolved if {
	is_string(s)
	tokens := [t[0] | some t in regex.find_all_string_submatch_n(`\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|[^$]+|\$`, s, -1)]
	parts := [p | some t in tokens; p := substitute(t)]
	count(parts) == count(tokens)
	resolved := concat("", parts)
}

substitute(token) := token if {
	not startswith(token, "$")
} else := token if {
	token == "$"
} else := value if {
	[_, name] := regex.find_all_string_submatch_n(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`, token, 1)[0]
	value := global_args[name]
	is_string(value)
} else := value if {
	[_, name, op, word] := regex.find_all_string_submatch_n(`^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+])([^$]*)\}$`, token, 1)[0]
	value := modifier(global_args, name, op, word)
}

# modifier implements ${NAME:-word} (word when unset or empty),
# ${NAME-word} (word when unset), ${NAME:+word} (word when set and not
# empty) and ${NAME+word} (word when set). An ARG declared without a default
# is unset here: only --build-arg can set it.
modifier(args, name, ":-", word) := value if {
	value := args[name]
	is_string(value)
	value != ""
} else := word

modifier(args, name, "-", word) := value if {
	value := args[name]
	is_string(value)
} else := word

modifier(args, name, ":+", word) := word if {
	value := args[name]
	is_string(value)
	value != ""
} else := ""

modifier(args, name, "+", word) := word if {
	is_string(args[name])
} else := ""

# ---------------------------------------------------------------------------
# Image references
# ---------------------------------------------------------------------------

has_digest(image) if contains(image, "@")

# image_tag returns the tag of an image reference without digest; undefined
# when it has none ("localhost:5000/app" has none, "app:1.0" has "1.0").
image_tag(image) := tag if {
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := substring(last, indexof(last, ":") + 1, -1)
}

# ---------------------------------------------------------------------------
# Stage chains
# ---------------------------------------------------------------------------

# stage_graph maps every stage number to the stage it is built FROM ([] when
# its base is an image), for graph.reachable.
stage_graph := {s.number: parents(s) | some s in stages}

parents(s) := [p] if {
	p := parent_stage(s)
} else := []

# stage_chain returns the numbers of stage s and of the stages it is built
# from, directly or through other stages.
stage_chain(s) := graph.reachable(stage_graph, {s.number})
