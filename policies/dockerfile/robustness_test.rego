package dockerfile.robustness_test

import data.dockerfile.fixtures_test as fx

# Every deny_/warn_ rule of the pack, by package.
rules := {
	"images": ["deny_base_image_tag"],
	"user": ["deny_root_user"],
	"add": ["deny_add_remote_url"],
	"secrets": ["deny_secret_in_env"],
}

# The evaluated policy packages (a complete rule, re-evaluated under `with`).
packages := {
	"images": data.dockerfile.images,
	"user": data.dockerfile.user,
	"add": data.dockerfile.add,
	"secrets": data.dockerfile.secrets,
}

# Documents of other formats (null, scalars, arrays that are not instruction
# lists, Kubernetes, CloudFormation, a GitHub workflow...) produce nothing.
test_non_dockerfiles_produce_no_findings if {
	every doc in fx.non_dockerfiles {
		every pkg, names in rules {
			every name in names {
				count(packages[pkg][name]) == 0 with input as doc
			}
		}
	}
}

# Dockerfile-shaped documents with odd values evaluate without runtime errors.
test_odd_dockerfiles_do_not_error if {
	every doc in fx.odd_dockerfiles {
		every pkg, names in rules {
			every name in names {
				is_set(packages[pkg][name]) with input as doc
			}
		}
	}
}

# A compliant Dockerfile produces no findings.
test_compliant_dockerfile_produces_no_findings if {
	every pkg, names in rules {
		every name in names {
			count(packages[pkg][name]) == 0 with input as fx.good_dockerfile
		}
	}
}
