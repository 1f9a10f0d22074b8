# METADATA
# title: Base images
# description: |-
#   Checks the base image of every build stage (FROM). `FROM scratch` and
#   `FROM <earlier stage>` (a name given with AS) are not images and pass.
#   ARG references in FROM ($NAME, ${NAME}, ${NAME:-word}, ...) are resolved
#   with the defaults of the ARG instructions before the first FROM; a FROM
#   that uses an ARG without default (set only by --build-arg) cannot be
#   judged statically and is skipped. No parameters.
package dockerfile.images

import data.dockerfile.lib

# METADATA
# title: Base image must have a pinned tag or digest
# description: |-
#   A base image without a tag resolves to "latest", and "latest" is a
#   mutable tag: the same Dockerfile builds different images from one day to
#   the next and a rebuild cannot reproduce a release. Images pinned by digest
#   (@sha256:...) pass. FROM lines using ARGs are checked with the ARG
#   defaults; ARGs without a default are skipped, since only --build-arg can
#   set them.
# custom:
#   id: docker-base-image-tag
#   severity: medium
#   remediation: Pin the base image to a version tag (e.g. node:22.11-alpine) or, better, to a digest (node:22.11-alpine@sha256:...) and let a bot such as Renovate or Dependabot update it.
#   docs: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
deny_base_image_tag contains result if {
	some s in lib.stages
	image := lib.resolve(s.image)
	image != ""
	not is_exempt(s, image)
	problem := tag_problem(image)
	result := {
		"msg": sprintf("%s: base image %s %s", [lib.stage_label(s), describe(s.image, image), problem]),
		"field": [s.index],
	}
}

is_exempt(_, image) if lower(image) == "scratch"

is_exempt(_, image) if lib.has_digest(image)

is_exempt(s, _) if lib.parent_stage(s)

tag_problem(image) := `has neither a tag nor a digest, so it resolves to the mutable "latest" tag` if {
	not lib.image_tag(image)
} else := `has an empty tag` if {
	lib.image_tag(image) == ""
} else := `uses the mutable "latest" tag` if {
	lib.image_tag(image) == "latest"
}

# describe names the image as written and, when ARGs were substituted, what
# it resolves to.
describe(written, image) := sprintf(`"%s"`, [image]) if {
	written == image
} else := sprintf(`"%s" (resolved with the ARG defaults to "%s")`, [written, image])
