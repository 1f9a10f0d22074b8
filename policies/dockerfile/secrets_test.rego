package dockerfile.secrets_test

import data.dockerfile.fixtures_test as fx
import data.dockerfile.secrets

test_non_secret_values_pass if {
	dockerfile := [
		fx.ins("arg", ["GITHUB_TOKEN", "NPM_TOKEN=", "API_KEY=\"\"", "VERSION=1.0"]),
		fx.ins("from", ["alpine:3.20"]),
		fx.ins("env", [
			"PATH", "\"$PATH:/app\"", "=",
			"DB_PASSWORD", "$DB_PASSWORD", "=",
			"API_TOKEN", "${API_TOKEN}", "=",
			"POSTGRES_PASSWORD_FILE", "/run/secrets/db", "=",
			"SSH_PRIVATE_KEY_PATH", "/keys/id", "=",
			"ENABLE_TOKEN_AUTH", "true", "=",
			"SECRET", "''", "=",
			"AUTH_TOKEN", "", "=",
		]),
		fx.ins("env", ["SECRETS_DIR", "/run/secrets", ""]),
		fx.ins("label", ["secret", "value", "="]),
	]
	count(secrets.deny_secret_in_env) == 0 with input as dockerfile
}

test_env_secret_denied if {
	dockerfile := [
		fx.ins("from", ["alpine:3.20"]),
		fx.ins("env", ["APP_PORT", "8080", "=", "DB_PASSWORD", "hunter2", "="]),
	]
	result := secrets.deny_secret_in_env with input as dockerfile
	result == {{
		"msg": `ENV sets "DB_PASSWORD" to a literal value, which is stored in the image configuration and readable by anyone who can pull the image`,
		"field": [1],
	}}
}

test_env_secret_names if {
	names := [
		"password", "MYSQL_ROOT_PASSWD", "client_secret", "GITHUB_TOKEN", "apikey", "API_KEY", "Api-Key",
		"AWS_ACCESS_KEY_ID", "accesskey", "PRIVATE_KEY", "private-key", "GOOGLE_CREDENTIALS", "credential",
	]
	every name in names {
		result := secrets.deny_secret_in_env with input as [fx.ins("from", ["alpine:3.20"]), fx.ins("env", [name, "s3cr3t", "="])]
		result == {{
			"msg": sprintf(`ENV sets "%s" to a literal value, which is stored in the image configuration and readable by anyone who can pull the image`, [name]),
			"field": [1],
		}}
	}
}

test_legacy_env_form_and_several_secrets if {
	dockerfile := [
		fx.ins("from", ["alpine:3.20"]),
		fx.ins("env", ["ADMIN_PASSWORD", "\"correct horse battery\"", ""]),
		fx.ins("env", ["SECRET_KEY", "abc", "=", "TOKEN", "'xyz'", "="]),
	]
	result := secrets.deny_secret_in_env with input as dockerfile
	result == {
		{
			"msg": `ENV sets "ADMIN_PASSWORD" to a literal value, which is stored in the image configuration and readable by anyone who can pull the image`,
			"field": [1],
		},
		{
			"msg": `ENV sets "SECRET_KEY" to a literal value, which is stored in the image configuration and readable by anyone who can pull the image`,
			"field": [2],
		},
		{
			"msg": `ENV sets "TOKEN" to a literal value, which is stored in the image configuration and readable by anyone who can pull the image`,
			"field": [2],
		},
	}
}

test_env_pair_layout_is_accepted if {
	# A [key, value, key, value] list (not buildkit's triples) is read as pairs.
	result := secrets.deny_secret_in_env with input as [fx.ins("from", ["alpine:3.20"]), fx.ins("env", ["A", "1", "API_TOKEN", "t0k3n"])]
	result == {{
		"msg": `ENV sets "API_TOKEN" to a literal value, which is stored in the image configuration and readable by anyone who can pull the image`,
		"field": [1],
	}}
}

test_arg_default_secret_denied if {
	dockerfile := [
		fx.ins("arg", ["NPM_TOKEN=\"npm_abc\"", "VERSION=1"]),
		fx.ins("from", ["node:22"]),
		fx.ins("arg", ["AWS_SECRET_ACCESS_KEY=wJalr"]),
	]
	result := secrets.deny_secret_in_env with input as dockerfile
	result == {
		{"msg": `ARG "NPM_TOKEN" has a literal default value, which is recorded in the image history`, "field": [0]},
		{"msg": `ARG "AWS_SECRET_ACCESS_KEY" has a literal default value, which is recorded in the image history`, "field": [2]},
	}
}
