// A long-running AWS SDK for Go v1 client on the default credential chain (one
// of the SDKs inside Terraform): calls GetCallerIdentity until the deadline and
// prints one JSON summary line. Built offline in GOPATH mode against Debian's
// golang-github-aws-aws-sdk-go-dev (1.44).
//
// Usage: go-sdk-v1-loop [seconds] [interval-ms]; STS_ENDPOINT and AWS_REGION from the environment.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/sts"
)

type result struct {
	Consumer     string   `json:"consumer"`
	Ok           int      `json:"ok"`
	Failed       int      `json:"failed"`
	ExpiredToken int      `json:"expiredToken"`
	Errors       []string `json:"errors"`
	Keys         int      `json:"keys"`
}

var credentialRe = regexp.MustCompile(`Credential=([^/]+)/`)

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
	res := result{Consumer: "go-sdk-v1", Errors: []string{}}
	keys := map[string]bool{}
	fail := func(err error) {
		res.Failed++
		if ae, ok := err.(awserr.Error); (ok && ae.Code() == "ExpiredToken") || strings.Contains(strings.ToLower(err.Error()), "expired") {
			res.ExpiredToken++
		}
		if len(res.Errors) < 5 {
			res.Errors = append(res.Errors, fmt.Sprintf("%T: %v", err, err))
		}
	}

	// The default chain with shared config enabled (AWS_SDK_LOAD_CONFIG=1), as Terraform does:
	// env keys, shared config, web identity, then the remote (container) provider.
	sess, err := session.NewSessionWithOptions(session.Options{SharedConfigState: session.SharedConfigEnable})
	var client *sts.STS
	if err != nil {
		fail(err)
	} else {
		// One attempt per call, like the JS loop's maxAttempts: 1: a failure is never hidden by a retry.
		cfg := aws.NewConfig().WithMaxRetries(0)
		if e := os.Getenv("STS_ENDPOINT"); e != "" {
			cfg = cfg.WithEndpoint(e)
		}
		client = sts.New(sess, cfg)
	}

	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	for client != nil && time.Now().Before(deadline) {
		req, _ := client.GetCallerIdentityRequest(&sts.GetCallerIdentityInput{})
		if err := req.Send(); err != nil {
			fail(err)
		} else {
			// the access key id the call was signed with
			if m := credentialRe.FindStringSubmatch(req.HTTPRequest.Header.Get("Authorization")); m != nil {
				keys[m[1]] = true
			}
			res.Ok++
		}
		time.Sleep(interval)
	}
	res.Keys = len(keys)
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}
