package main

import (
	"io"
	"os"
	"path/filepath"
	"protokol/internal/config"
	"regexp"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// TestKubernetesManifests decodes every document of the Kubernetes
// example strictly into the API's own types (an unknown or misplaced
// field fails, as kubectl's server-side validation would), and checks
// what makes it start and stay up: the image's numeric user is the pod's
// runAsUser (a name cannot be verified non-root), a pinned image, probes
// that do not flap, and an autoscaler and a disruption budget that point
// at the Deployment.
func TestKubernetesManifests(t *testing.T) {
	root := filepath.Join("..", "..")
	b, err := os.ReadFile(filepath.Join(root, "deploy", "kubernetes.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var dep *appsv1.Deployment
	var svc *corev1.Service
	var hpa *autoscalingv2.HorizontalPodAutoscaler
	var pdb *policyv1.PodDisruptionBudget
	for _, doc := range regexp.MustCompile(`(?m)^---$`).Split(string(b), -1) {
		var head struct{ Kind string }
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			t.Fatal(err)
		}
		var into any
		switch head.Kind {
		case "Deployment":
			dep = &appsv1.Deployment{}
			into = dep
		case "Service":
			svc = &corev1.Service{}
			into = svc
		case "HorizontalPodAutoscaler":
			hpa = &autoscalingv2.HorizontalPodAutoscaler{}
			into = hpa
		case "PodDisruptionBudget":
			pdb = &policyv1.PodDisruptionBudget{}
			into = pdb
		default:
			t.Fatalf("a document of kind %q", head.Kind)
		}
		if err := yaml.UnmarshalStrict([]byte(doc), into); err != nil {
			t.Errorf("%s: %v", head.Kind, err)
		}
	}
	if dep == nil || svc == nil || hpa == nil || pdb == nil {
		t.Fatalf("the example lacks a Deployment, Service, HorizontalPodAutoscaler or PodDisruptionBudget")
	}

	docker, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^USER (\d+):(\d+)$`).FindStringSubmatch(string(docker))
	if m == nil {
		t.Fatal("the Dockerfile's USER is not numeric: the kubelet cannot verify runAsNonRoot")
	}
	uid, _ := strconv.ParseInt(m[1], 10, 64)
	sc := dep.Spec.Template.Spec.SecurityContext
	if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != uid || uid == 0 {
		t.Errorf("the pod's securityContext %+v does not run as the image's user %d, non-root", sc, uid)
	}
	c := dep.Spec.Template.Spec.Containers[0]
	if strings.HasSuffix(c.Image, ":latest") || !strings.Contains(c.Image, ":") || c.ImagePullPolicy != corev1.PullIfNotPresent {
		t.Errorf("image %q, pull policy %q: pin a version", c.Image, c.ImagePullPolicy)
	}
	for name, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.FailureThreshold < 2 || p.TimeoutSeconds < 2 {
			t.Errorf("%s probe %+v flaps on a busy pod: give it a timeout and more than one failure", name, p)
		}
	}
	limit := c.Resources.Limits.Memory().Value()
	var gomem, attach int64
	for _, e := range c.Env {
		switch e.Name {
		case "GOMEMLIMIT":
			gomem = mustSize(t, e.Value)
		case "PROTOKOL_ATTACHMENT_MEMORY":
			attach = mustSize(t, e.Value)
		}
	}
	if gomem == 0 || gomem+2*(attach+40<<20) > limit {
		t.Errorf("GOMEMLIMIT %d and two attachment workers of %d do not fit the memory limit %d", gomem, attach, limit)
	}
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != dep.Name {
		t.Errorf("the autoscaler scales %+v, not the Deployment", hpa.Spec.ScaleTargetRef)
	}
	labels := dep.Spec.Template.Labels
	for k, v := range pdb.Spec.Selector.MatchLabels {
		if labels[k] != v {
			t.Errorf("the disruption budget selects %s=%s, which the pods do not have", k, v)
		}
	}
	for k, v := range svc.Spec.Selector {
		if labels[k] != v {
			t.Errorf("the Service selects %s=%s, which the pods do not have", k, v)
		}
	}
}

func mustSize(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.TrimSuffix(s, "MiB"), 10, 64)
	if err != nil || !strings.HasSuffix(s, "MiB") {
		t.Fatalf("%q is not a size in MiB", s)
	}
	return n << 20
}

// TestBatchJobManifest decodes the Indexed Job strictly into the API's
// type and checks that its shards are the job's: PROTOKOL_SHARDS equals
// completions, an index fails alone, and it runs as the image's user.
func TestBatchJobManifest(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "batch-job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict(b, &job); err != nil {
		t.Fatal(err)
	}
	s := job.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion || s.Completions == nil || s.BackoffLimitPerIndex == nil {
		t.Fatalf("not an Indexed Job with a backoff per index: %+v", s)
	}
	c := s.Template.Spec.Containers[0]
	shards := ""
	for _, e := range c.Env {
		if e.Name == "PROTOKOL_SHARDS" {
			shards = e.Value
		}
	}
	if shards != strconv.Itoa(int(*s.Completions)) {
		t.Errorf("PROTOKOL_SHARDS %q is not the completions %d", shards, *s.Completions)
	}
	if len(c.Args) == 0 || c.Args[0] != "batch" || s.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("args %v, restart policy %q", c.Args, s.Template.Spec.RestartPolicy)
	}
	if sc := s.Template.Spec.SecurityContext; sc == nil || sc.RunAsUser == nil || *sc.RunAsUser != 65532 {
		t.Errorf("security context %+v", sc)
	}
	// the arguments parse as the program reads them, with the index the
	// Job gives
	env := map[string]string{"JOB_COMPLETION_INDEX": "7", "PROTOKOL_SHARDS": shards}
	_, bt, err := config.ParseBatch(c.Args[1:], func(k string) string { return env[k] }, io.Discard)
	if err != nil || bt.Shard != 7 || bt.Shards != 8 {
		t.Errorf("the Job's arguments: %+v %v", bt, err)
	}
}

// TestSealPatch decodes the seal's patch strictly and checks that it
// fits the Deployment it patches and that the service would read it: the
// container it names is the Deployment's, each file the service is given
// lies on a volume the patch mounts, the key's files are readable by the
// pod's group (the image's) and by no other user (else the service
// refuses them), and the settings parse as the service reads them.
func TestSealPatch(t *testing.T) {
	root := filepath.Join("..", "..")
	var dep, patch appsv1.Deployment
	b, err := os.ReadFile(filepath.Join(root, "deploy", "kubernetes.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range regexp.MustCompile(`(?m)^---$`).Split(string(b), -1) {
		if strings.Contains(doc, "kind: Deployment") {
			if err := yaml.Unmarshal([]byte(doc), &dep); err != nil {
				t.Fatal(err)
			}
		}
	}
	if b, err = os.ReadFile(filepath.Join(root, "deploy", "seal-patch.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(b, &patch); err != nil {
		t.Fatal(err)
	}
	pod := patch.Spec.Template.Spec
	if len(pod.Containers) != 1 || len(dep.Spec.Template.Spec.Containers) == 0 || pod.Containers[0].Name != dep.Spec.Template.Spec.Containers[0].Name {
		t.Fatalf("the patch names containers %+v, not the Deployment's", pod.Containers)
	}
	if sc, main := pod.SecurityContext, dep.Spec.Template.Spec.SecurityContext; sc == nil || sc.FSGroup == nil || main.RunAsGroup == nil || *sc.FSGroup != *main.RunAsGroup {
		t.Errorf("the pod's fsGroup %+v is not the service's group", sc)
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	env := map[string]string{}
	c := pod.Containers[0]
	for _, e := range c.Env {
		env[e.Name] = e.Value
		var on *corev1.Volume
		for _, m := range c.VolumeMounts {
			if v, ok := volumes[m.Name]; ok && strings.HasPrefix(e.Value, m.MountPath+"/") {
				on = &v
			}
		}
		if on == nil {
			t.Errorf("%s=%s is on no volume the patch mounts", e.Name, e.Value)
			continue
		}
		if e.Name == "PROTOKOL_SEAL_KEY" {
			if s := on.Secret; s == nil || s.DefaultMode == nil || *s.DefaultMode&0o004 != 0 || *s.DefaultMode&0o040 == 0 {
				t.Errorf("the key's volume %+v: its files must be readable by the group and by no other user", on.VolumeSource)
			}
		}
	}
	cfg, err := config.ParseServe(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.Seal.Cert == "" || cfg.Seal.Key == "" || cfg.Seal.Trust == "" || cfg.Seal.CRL == "" {
		t.Errorf("the service reads the patch's settings as %+v: %v", cfg.Seal, err)
	}
}
