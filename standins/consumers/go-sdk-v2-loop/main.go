// A long-running AWS SDK for Go v2 client on the default credential chain (one
// of the SDKs inside Terraform): calls GetCallerIdentity until the deadline
// and prints one JSON summary line. Built offline in GOPATH mode against
// Debian's golang-github-aws-aws-sdk-go-v2-dev (1.17).
//
// Usage: go-sdk-v2-loop [seconds] [interval-ms]; STS_ENDPOINT and AWS_REGION from the environment.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

type result struct {
	Consumer     string   `json:"consumer"`
	Ok           int      `json:"ok"`
	Failed       int      `json:"failed"`
	ExpiredToken int      `json:"expiredToken"`
	Errors       []string `json:"errors"`
	Keys         int      `json:"keys"`
}

// signedBy remembers the access key id of the last request the STS client sent
// (from its SigV4 Authorization header): the credentials the call really used.
type signedBy struct {
	inner aws.HTTPClient
	last  string
}

var credentialRe = regexp.MustCompile(`Credential=([^/]+)/`)

func (s *signedBy) Do(r *http.Request) (*http.Response, error) {
	if m := credentialRe.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		s.last = m[1]
	}
	return s.inner.Do(r)
}

func arg(i int, def float64) float64 {
	if len(os.Args) > i {
		if v, err := strconv.ParseFloat(os.Args[i], 64); err == nil {
			return v
		}
	}
	return def
}

func main() {
	seconds := arg(1, 10)
	interval := time.Duration(arg(2, 250) * float64(time.Millisecond))
	ctx := context.Background()
	res := result{Consumer: "go-sdk-v2", Errors: []string{}}
	keys := map[string]bool{}
	fail := func(err error) {
		res.Failed++
		var api smithy.APIError
		if (errors.As(err, &api) && api.ErrorCode() == "ExpiredToken") || strings.Contains(strings.ToLower(err.Error()), "expired") {
			res.ExpiredToken++
		}
		if len(res.Errors) < 5 {
			res.Errors = append(res.Errors, fmt.Sprintf("%T: %v", err, err))
		}
	}

	endpoint := os.Getenv("STS_ENDPOINT")
	// BaseEndpoint is newer than 1.17: an endpoint resolver for STS only.
	resolver := aws.EndpointResolverWithOptionsFunc(func(service, region string, _ ...interface{}) (aws.Endpoint, error) {
		if service == sts.ServiceID && endpoint != "" {
			return aws.Endpoint{URL: endpoint, SigningRegion: region, HostnameImmutable: true}, nil
		}
		return aws.Endpoint{}, &aws.EndpointNotFoundError{}
	})
	// The default chain: env keys, shared config, web identity, container provider, IMDS.
	cfg, err := config.LoadDefaultConfig(ctx, config.WithEndpointResolverWithOptions(resolver))
	var client *sts.Client
	recorder := &signedBy{inner: awshttp.NewBuildableClient()}
	if err != nil {
		fail(err)
	} else {
		// One attempt per call, like the JS loop's maxAttempts: 1: a failure is never hidden by a retry.
		// (In 1.17 a client option RetryMaxAttempts is ignored: the retryer is built before the options
		// apply. The credential fetch keeps the SDK's default of 3 attempts.)
		client = sts.NewFromConfig(cfg, func(o *sts.Options) {
			o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 1)
			o.HTTPClient = recorder
		})
	}

	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	for client != nil && time.Now().Before(deadline) {
		recorder.last = ""
		if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			fail(err)
		} else {
			keys[recorder.last] = true
			res.Ok++
		}
		time.Sleep(interval)
	}
	res.Keys = len(keys)
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}
