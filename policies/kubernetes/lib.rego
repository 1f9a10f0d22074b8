# METADATA
# title: Kubernetes policy helpers
# description: |-
#   Shared helpers for the built-in Kubernetes policy pack. This package holds
#   no deny_/warn_ rules. Input is a single parsed Kubernetes object (one YAML
#   document); every helper is written so that any JSON value (a string, an
#   array, an object without kind...) evaluates without runtime errors.
#
#   Parameters are read from data.kubernetes.parameters:
#   - allowed_registries (array of strings, default []): registry hosts or
#     registry/repository prefixes images may come from; empty disables
#     k8s-image-registry.
#   - required_labels (array of strings, default []): label keys every object
#     must carry in metadata.labels; empty disables k8s-required-labels.
#   - allowed_capabilities (array of strings, default ["NET_BIND_SERVICE"]):
#     Linux capabilities containers may add; ALL and SYS_ADMIN are always denied.
package kubernetes.lib

# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------

parameters := p if {
	p := data.kubernetes.parameters
	is_object(p)
} else := {}

# list_param returns the array parameter `name`, or `default_value` when it is
# not set or is not an array.
list_param(name, default_value) := v if {
	v := parameters[name]
	is_array(v)
} else := default_value

# ---------------------------------------------------------------------------
# Object identity
# ---------------------------------------------------------------------------

kind := k if {
	k := input.kind
	is_string(k)
	k != ""
} else := "Object"

name := n if {
	n := input.metadata.name
	is_string(n)
	n != ""
} else := n if {
	g := input.metadata.generateName
	is_string(g)
	g != ""
	n := concat("", [g, "*"])
} else := "<unnamed>"

# subject names the object in messages, e.g. `Deployment "web"`.
subject := sprintf(`%s "%s"`, [kind, name])

# is_object_doc holds when the input looks like a Kubernetes API object.
is_object_doc if {
	is_string(input.kind)
	input.kind != ""
	is_string(input.apiVersion)
}

api_group := g if {
	is_string(input.apiVersion)
	contains(input.apiVersion, "/")
	g := split(input.apiVersion, "/")[0]
} else := ""

# List kinds wrap other objects and are not resources themselves.
is_list_kind if {
	is_string(input.kind)
	endswith(input.kind, "List")
}

# Files that carry apiVersion/kind but are tool or component configuration,
# never sent to the API server (kustomize, kubeconfig, eksctl, kubeadm, ...).
config_api_groups := {
	"kustomize.config.k8s.io",
	"config.kubernetes.io",
	"eksctl.io",
	"kubeadm.k8s.io",
	"audit.k8s.io",
	"apiserver.k8s.io",
	"kind.x-k8s.io",
	"k3d.io",
	"node.eks.aws",
	"descheduler",
	"helm.sh",
}

is_config_file if api_group in config_api_groups

is_config_file if endswith(api_group, ".config.k8s.io")

is_config_file if {
	input.apiVersion == "v1"
	input.kind == "Config"
}

# is_resource holds for Kubernetes API objects that are stored in a cluster.
is_resource if {
	is_object_doc
	not is_list_kind
	not is_config_file
}

# Built-in cluster-scoped kinds (kubectl api-resources --namespaced=false) plus
# widely used cluster-scoped custom resources. Any kind starting with
# "Cluster" (ClusterRole, ClusterIssuer, ClusterPolicy...) is treated as
# cluster-scoped too.
cluster_scoped_kinds := {
	"APIService",
	"CertificateSigningRequest",
	"ComponentStatus",
	"CSIDriver",
	"CSINode",
	"CustomResourceDefinition",
	"FlowSchema",
	"IngressClass",
	"MutatingAdmissionPolicy",
	"MutatingAdmissionPolicyBinding",
	"MutatingWebhookConfiguration",
	"Namespace",
	"Node",
	"PersistentVolume",
	"PodSecurityPolicy",
	"PriorityClass",
	"PriorityLevelConfiguration",
	"ResourceSlice",
	"DeviceClass",
	"RuntimeClass",
	"SelfSubjectAccessReview",
	"SelfSubjectReview",
	"SelfSubjectRulesReview",
	"StorageClass",
	"StorageVersionMigration",
	"SubjectAccessReview",
	"TokenReview",
	"ValidatingAdmissionPolicy",
	"ValidatingAdmissionPolicyBinding",
	"ValidatingWebhookConfiguration",
	"VolumeAttachment",
	"VolumeAttributesClass",
	"IPAddress",
	"ServiceCIDR",
	# popular cluster-scoped custom resources
	"GatewayClass",
	"NodePool",
	"EC2NodeClass",
	"NodeClaim",
	"ENIConfig",
	"Composition",
	"CompositeResourceDefinition",
	"CompositionRevision",
	"Provider",
	"ProviderConfig",
	"Function",
	"ResourceGraphDefinition",
	"IngressClassParams",
	"CiliumBGPPeeringPolicy",
	"CiliumLoadBalancerIPPool",
	"CiliumNode",
	"CiliumIdentity",
	"CiliumExternalWorkload",
	"SecurityContextConstraints",
	"InitializerConfiguration",
	"ConstraintTemplate",
}

is_cluster_scoped if input.kind in cluster_scoped_kinds

is_cluster_scoped if {
	is_string(input.kind)
	startswith(input.kind, "Cluster")
}

# ---------------------------------------------------------------------------
# Pod specs and containers
# ---------------------------------------------------------------------------

# Kinds whose pod template lives at spec.template.spec. Rollout (Argo Rollouts)
# and DeploymentConfig (OpenShift) share the Deployment layout.
template_kinds := {
	"Deployment": true,
	"StatefulSet": true,
	"DaemonSet": true,
	"ReplicaSet": true,
	"ReplicationController": true,
	"Rollout": true,
	"DeploymentConfig": true,
	"Job": false,
}

# pod_specs is the set of pod specs carried by the input, each as
# {"path": <path to the pod spec>, "spec": <pod spec>, "long_running": bool}.
# long_running is false for run-to-completion workloads (Job, CronJob and
# Pods with restartPolicy Never/OnFailure).
pod_specs contains {"path": ["spec"], "spec": spec, "long_running": long_running} if {
	input.kind == "Pod"
	spec := input.spec
	is_object(spec)
	long_running := pod_restarts_always(spec)
}

pod_specs contains {"path": ["spec", "template", "spec"], "spec": spec, "long_running": long_running} if {
	long_running := template_kinds[input.kind]
	spec := input.spec.template.spec
	is_object(spec)
}

pod_specs contains {"path": ["spec", "jobTemplate", "spec", "template", "spec"], "spec": spec, "long_running": false} if {
	input.kind == "CronJob"
	spec := input.spec.jobTemplate.spec.template.spec
	is_object(spec)
}

pod_restarts_always(spec) := false if {
	spec.restartPolicy in {"Never", "OnFailure"}
} else := true

# Windows pods cannot set Linux-only security fields (allowPrivilegeEscalation,
# readOnlyRootFilesystem, capabilities, privileged...).
is_windows(pod) if pod.spec.os.name == "windows"

container_types := {
	"containers": "container",
	"initContainers": "init container",
	"ephemeralContainers": "ephemeral container",
}

# containers is the set of every container of every pod spec in the input:
# {"container": <object>, "path": <path to the container>, "type": "containers" |
#  "initContainers" | "ephemeralContainers", "label": `container "app"`,
#  "pod": <element of pod_specs>}.
containers contains {
	"container": container,
	"path": array.concat(pod.path, [type, i]),
	"type": type,
	"label": container_label(type_label, i, container),
	"pod": pod,
} if {
	some pod in pod_specs
	some type, type_label in container_types
	list := pod.spec[type]
	is_array(list)
	some i, container in list
	is_object(container)
}

container_label(type_label, i, container) := sprintf(`%s "%s"`, [type_label, container.name]) if {
	is_string(container.name)
	container.name != ""
} else := sprintf("%s #%s", [type_label, format_int(i, 10)])

# describe prefixes a finding about a container with the object subject.
describe(c, text) := sprintf("%s: %s %s", [subject, c.label, text])

# ---------------------------------------------------------------------------
# Image references
# ---------------------------------------------------------------------------

# is_templated holds for image strings that are unresolved template
# placeholders (envsubst, Helm, kro...), which cannot be judged statically.
is_templated(image) if contains(image, "${")

is_templated(image) if contains(image, "{{")

has_digest(image) if contains(image, "@")

# Image reference without digest, e.g. "localhost:5000/app:1.0".
image_without_digest(image) := split(image, "@")[0]

# image_tag returns the tag of an image reference; undefined when none.
image_tag(image) := tag if {
	parts := split(image_without_digest(image), "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := substring(last, indexof(last, ":") + 1, -1)
}

is_registry_host(s) if contains(s, ".")

is_registry_host(s) if contains(s, ":")

is_registry_host("localhost")

docker_hub_aliases := {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}

normalize_registry(host) := "docker.io" if {
	lower(host) in docker_hub_aliases
} else := lower(host)

# image_registry returns the registry host of an image; Docker Hub short
# names ("nginx", "grafana/grafana") are "docker.io".
image_registry(image) := normalize_registry(parts[0]) if {
	parts := split(image, "/")
	count(parts) > 1
	is_registry_host(parts[0])
} else := "docker.io"

# image_remainder is the repository path below the registry, without tag and
# digest, e.g. "library/nginx" or "grafana/grafana".
image_remainder(image) := remainder if {
	parts := split(image_without_digest(image), "/")
	count(parts) > 1
	is_registry_host(parts[0])
	remainder := strip_tag(concat("/", array.slice(parts, 1, count(parts))))
} else := strip_tag(image_without_digest(image))

strip_tag(repo) := concat("/", array.concat(array.slice(parts, 0, count(parts) - 1), [split(last, ":")[0]])) if {
	parts := split(repo, "/")
	last := parts[count(parts) - 1]
}

# image_repositories returns the spellings of the image repository that
# allowed_registries entries are compared against: registry/path as written
# and, for Docker Hub official images, the expanded docker.io/library/<name>.
image_repositories(image) := {sprintf("%s/%s", [registry, remainder]), sprintf("%s/library/%s", [registry, remainder])} if {
	registry := image_registry(image)
	registry == "docker.io"
	remainder := image_remainder(image)
	not contains(remainder, "/")
} else := {sprintf("%s/%s", [image_registry(image), image_remainder(image)])}

normalize_prefix(entry) := concat("/", array.concat([normalize_registry(parts[0])], array.slice(parts, 1, count(parts)))) if {
	parts := split(trim_suffix(trim_space(entry), "/"), "/")
}

image_allowed(image, allowed) if {
	some entry in allowed
	is_string(entry)
	prefix := normalize_prefix(entry)
	some repo in image_repositories(image)
	repository_matches(repo, prefix)
}

repository_matches(repo, prefix) if repo == prefix

repository_matches(repo, prefix) if startswith(repo, concat("", [prefix, "/"]))

# ---------------------------------------------------------------------------
# Misc
# ---------------------------------------------------------------------------

# as_string renders scalars for messages.
as_string(v) := v if {
	is_string(v)
} else := json.marshal(v)
