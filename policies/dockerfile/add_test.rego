package dockerfile.add_test

import data.dockerfile.add
import data.dockerfile.fixtures_test as fx

test_add_local_and_checksum_pass if {
	dockerfile := [
		fx.ins("from", ["alpine:3.20"]),
		fx.ins("add", ["app.tar.gz", "/opt/"]),
		fx.ins("copy", ["https://example.com/not-fetched-by-copy", "/x"]),
		fx.ins_flags("add", ["--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d"], ["https://example.com/tool.tar.gz", "/tmp/"]),
		fx.ins("add", ["git@github.com:moby/buildkit.git", "/src"]),
		fx.ins("run", ["curl -fsSL https://example.com/x -o /x"]),
	]
	count(add.deny_add_remote_url) == 0 with input as dockerfile
}

test_add_url_denied if {
	dockerfile := [
		fx.ins("from", ["alpine:3.20"]),
		fx.ins_flags("add", ["--chown=app"], ["https://example.com/tool.tar.gz", "/tmp/"]),
	]
	result := add.deny_add_remote_url with input as dockerfile
	result == {{
		"msg": `ADD fetches "https://example.com/tool.tar.gz" from a remote URL without --checksum, so the build depends on whatever the server returns`,
		"field": [1],
	}}
}

test_add_json_form_with_several_sources if {
	dockerfile := [
		fx.ins("from", ["alpine:3.20"]),
		object.union(fx.ins("add", ["HTTP://example.com/a", "local.txt", "http://example.com/b", "/dst/"]), {"JSON": true}),
	]
	result := add.deny_add_remote_url with input as dockerfile
	result == {
		{
			"msg": `ADD fetches "HTTP://example.com/a" from a remote URL without --checksum, so the build depends on whatever the server returns`,
			"field": [1],
		},
		{
			"msg": `ADD fetches "http://example.com/b" from a remote URL without --checksum, so the build depends on whatever the server returns`,
			"field": [1],
		},
	}
}

test_onbuild_add_url_denied if {
	onbuild := object.union(fx.ins("onbuild", ["https://example.com/q", "/q"]), {"SubCmd": "ADD"})
	result := add.deny_add_remote_url with input as [fx.ins("from", ["alpine:3.20"]), onbuild]
	result == {{
		"msg": `ONBUILD ADD fetches "https://example.com/q" from a remote URL without --checksum, so the build depends on whatever the server returns`,
		"field": [1],
	}}
}
