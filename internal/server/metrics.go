package server

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the service's Prometheus metrics, on a registry of its own.
type metrics struct {
	reg      *prometheus.Registry
	duration *prometheus.HistogramVec
	pages    *prometheus.CounterVec
	bytes    *prometheus.CounterVec
	errors   *prometheus.CounterVec
	requests *prometheus.CounterVec
	refusals prometheus.Counter
	replaced prometheus.Counter
	// authFailures: requests refused for their credentials, by reason
	// (missing, bad_token, bad_password, wrong_scheme, malformed)
	authFailures *prometheus.CounterVec
	seals        *prometheus.CounterVec
	verifies     *prometheus.CounterVec
}

func newMetrics(inFlight func() float64) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "protokol_render_duration_seconds",
			Help:    "Time to render one document (decode, template, layout), by document kind and template set.",
			Buckets: []float64{.002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30},
		}, []string{"document", "template"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "protokol_pages_total", Help: "PDF pages produced, by document kind.",
		}, []string{"document"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "protokol_output_bytes_total", Help: "Bytes of documents produced, by document kind and format.",
		}, []string{"document", "format"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "protokol_errors_total", Help: "Requests answered with an error, by class (invalid, malformed, too_large, unknown_template, overloaded, timeout, template, internal, …).",
		}, []string{"class"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "protokol_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "status"}),
		refusals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "protokol_queue_refusals_total", Help: "Requests refused with 503 because the render queue was full or the wait too long.",
		}),
		replaced: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "protokol_replaced_characters_total", Help: "Characters the font could not draw, printed as a replacement character.",
		}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "protokol_auth_failures_total", Help: "Requests refused 401 for their credentials, by reason (missing, bad_token, bad_password, wrong_scheme, malformed).",
		}, []string{"reason"}),
		seals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "protokol_seals_total", Help: "Documents sealed, by outcome (sealed, failed: the timestamp authority or the key did not answer).",
		}, []string{"outcome"}),
		verifies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "protokol_verifications_total", Help: "PDFs verified by POST /v1/verify, by outcome (valid, invalid, unsealed).",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.duration, m.pages, m.bytes, m.errors, m.requests, m.refusals, m.replaced, m.authFailures, m.seals, m.verifies,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "protokol_renders_in_flight", Help: "Renders running now."}, inFlight),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
