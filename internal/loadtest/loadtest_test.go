package loadtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRunCountsAndStops(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "fail") {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	rep, err := Run(context.Background(), Options{URL: srv.URL, Body: []byte("{}"), Connections: 4, Duration: 5 * time.Second, MaxRequests: 100})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 100 || rep.Errors != 0 || rep.Statuses[200] != 100 || rep.Bytes != 200 || rep.Percentile(99) <= 0 {
		t.Fatalf("report: %+v", rep)
	}
	rep, err = Run(context.Background(), Options{URL: srv.URL + "?fail", Body: []byte("{}"), Connections: 2, Duration: 5 * time.Second, MaxRequests: 10})
	if err != nil || rep.Errors != 10 || rep.Statuses[503] != 10 {
		t.Fatalf("errors not counted: %+v %v", rep, err)
	}
}

func TestRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:8080/", "http://example.com/", "http://192.168.1.1/"} {
		if _, err := Run(context.Background(), Options{URL: u, Connections: 1, Duration: time.Second}); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: %v", u, err)
		}
	}
}
