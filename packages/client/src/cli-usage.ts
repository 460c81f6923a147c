/** The `x-http --help` text. Every option here is parsed by cli-arguments.ts and listed in the README. */
export const USAGE = `Usage: x-http [METHOD] <url> [options]

Request
  -X, --request <method>       method (default GET, or POST with a body option)
  -H, --header <line>          request header "Name: value" (repeatable)
  -u, --user <user[:password]> Basic authentication (RFC 7617); never sent to another origin
                               after a redirect. Without ":password" it is asked for on the
                               terminal (no echo); with stdin not a terminal that is a usage error
  -r, --range <ranges>         byte ranges, e.g. 0-99 or 0-99,-500
Body (data options, or --json, or -F)
  -d, --data <text|@file|@->   form data (application/x-www-form-urlencoded unless -H gives a
                               type); @file and @- (stdin) drop CR and LF; repeatable, parts
                               joined with & (alias --data-ascii)
      --data-raw <text>        like -d, but a leading @ is just text
      --data-binary <@file|t>  like -d, but a file or stdin is sent byte for byte
      --data-urlencode <part>  a data part percent-encoded: content, =content, name=content,
                               @file or name@file (@- is stdin); the name is sent as given
  -G, --get                    send the data options as the URL's query (after & when it has
                               one) in a GET, or the -X method, with no body
      --json <text>            JSON body; sets Content-Type and Accept
  -F, --form <name=value>      multipart/form-data field (repeatable): name=text,
                               name=@file[;type=media/type][;filename=name] (a file part),
                               name=<file (the file's text as a field value)
      --form-string <name=v>   multipart field whose value is taken literally (no @ or <)
Response
  -i, --include                print the status line and headers before the body
  -f, --fail                   on a status >= 400 print nothing of the response (exit 22)
      --fail-with-body         on a status >= 400 print the response, exit 22 (the default)
  -w, --write-out <format>     after the transfer print the format on stdout (or @file): %{http_code},
                               %{response_code}, %{size_download}, %{size_header}, %{time_total},
                               %{url_effective}, %{num_redirects}, %{content_type}, %{exitcode},
                               %{method}, %header{name}, %%, \\n \\t \\r; an unknown variable is a
                               usage error
  -o, --output <file>          write the body to a file (GET downloads resume after a cut);
                               shows a progress bar when stderr is a terminal
  -L, --follow                 follow redirects (default; alias --location)
      --no-follow              return redirects as they are
      --max-redirects <n>      redirects followed before failing (default 20; alias --max-redirs)
      --compressed             ask for gzip, deflate, br, zstd and decode (the default; for curl
                               compatibility)
      --no-decode              send no Accept-Encoding and print the body as it arrives
Connection
  -x, --proxy <url>            forward proxy (http:// or https://, user:password@ allowed) for
                               http: and https: URLs
      --noproxy <list>         hosts that bypass the proxy, comma-separated (NO_PROXY syntax)
      --proxy-env              use HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY from the
                               environment (never read without this flag)
      --cacert <file>          also trust the CA certificates in this PEM file
      --proxy-cacert <file>    also trust these CA certificates for an https:// proxy (with -x)
      --pin <sha256/base64>    require this SPKI pin for the URL's host (repeatable, or ";"-joined;
                               curl's sha256// form accepted; alias --pinnedpubkey); https:
                               only; a redirect to another host is refused
  -m, --max-time <seconds>     deadline for the whole exchange (alias --timeout)
      --connect-timeout <s>    deadline for connecting, TLS included (default 10)
      --retry <n>              retries of safe requests after transient failures (default 2;
                               alias --retries)
State
  -c, --cookie-jar <file>      load cookies from this file before and save them after (JSON,
                               written 0600; a missing file starts an empty jar)
      --cache-dir <dir>        cache responses in this directory (RFC 9111, private cache)
Output
  -v, --verbose                request and response heads of every exchange on stderr, with
                               Authorization, Proxy-Authorization, Cookie, Set-Cookie values
                               redacted
  -s, --silent                 no progress bar and no error messages
  -S, --show-error             with -s, still print error messages
  -h, --help                   this text
  -V, --version                the version

Short flags combine (-sSL) and take values attached (-XPUT). CR, LF or NUL in any header,
credential, name or path is a usage error.

Exit codes: 0 success, 1 other failure, 2 usage error, 6 DNS failure, 7 connect failure,
8 protocol error, 22 HTTP status >= 400 (with or without -f), 23 write error, 28 timeout, 35 TLS failure,
47 too many redirects or a refused redirect, 56 connection closed mid-response,
97 proxy refused the tunnel, 130 interrupted.`;
