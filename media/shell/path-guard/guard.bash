#!/bin/bash -p
# Agent Guardrails PATH guard: installed as a symlink named after a risky program (curl, psql, kubectl, rm …) in a
# folder at the front of PATH. Asks the verdict server with the full argv (phase "exec"), then runs the real program
# found later in PATH. `-p`: no BASH_ENV (the hook), no functions from the environment. Works with bash 3.2.
__ag_name=${0##*/}
__ag_self=${0%/*}
[[ $__ag_self == "$0" ]] && __ag_self=.

# The real program: the first match in PATH that is not a guard folder (no recursion, even if PATH lists it twice).
__ag_real=
__ag_rest=$PATH
while [[ -n $__ag_rest ]]; do
  __ag_dir=${__ag_rest%%:*}
  if [[ $__ag_rest == *:* ]]; then __ag_rest=${__ag_rest#*:}; else __ag_rest=; fi
  [[ -z $__ag_dir ]] && __ag_dir=.
  [[ $__ag_dir -ef $__ag_self || -e $__ag_dir/.agent-guardrails-path-guard ]] && continue
  if [[ -f $__ag_dir/$__ag_name && -x $__ag_dir/$__ag_name ]]; then
    __ag_real=$__ag_dir/$__ag_name
    break
  fi
done
if [[ -z $__ag_real ]]; then
  printf '%s: command not found\n' "$__ag_name" >&2
  exit 127
fi

# --version / --help alone: nothing to ask.
if [[ $# -eq 1 && ( $1 == --version || $1 == --help ) ]]; then
  exec "$__ag_real" "$@"
fi

__ag_json() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  s=${s//[$'\x01'-$'\x1f\x7f']/ }
  __ag_out=$s
}

__ag_deny() {
  printf 'Agent Guardrails blocked: %s (see audit log)\n' "$1" >&2
  exit 126
}

[[ -n ${AGENT_GUARDRAILS_PORT-} && -n ${AGENT_GUARDRAILS_SECRET-} ]] \
  || __ag_deny 'the verdict server is not reachable, so risky commands cannot be checked'

printf -v __ag_cmd '%q ' "$__ag_name" "$@"
__ag_json "${__ag_cmd% }"
__ag_body="{\"phase\":\"exec\",\"command\":\"$__ag_out\""
__ag_json "$PWD"
__ag_body="$__ag_body,\"cwd\":\"$__ag_out\",\"shell\":\"path-guard\",\"terminalId\":\"${AGENT_GUARDRAILS_TERMINAL_ID-}\",\"lineId\":\"${AGENT_GUARDRAILS_LINE-}\"}"
# Content-Length counts bytes: measure in the C locale.
__ag_saved_lc_all=${LC_ALL-}
LC_ALL=C
__ag_len=${#__ag_body}
if [[ -n $__ag_saved_lc_all ]]; then LC_ALL=$__ag_saved_lc_all; else unset LC_ALL; fi

{ exec 9<>"/dev/tcp/127.0.0.1/$AGENT_GUARDRAILS_PORT"; } 2>/dev/null \
  || __ag_deny 'the verdict server is not reachable, so risky commands cannot be checked'
printf 'POST /v1/verdict HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Guardrails-Secret: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
  "$AGENT_GUARDRAILS_SECRET" "$__ag_len" "$__ag_body" >&9 2>/dev/null \
  || __ag_deny 'the verdict server is not reachable, so risky commands cannot be checked'
__ag_resp=
IFS= read -r -d '' -t "${AGENT_GUARDRAILS_WAIT:-600}" __ag_resp <&9
__ag_status=$?
exec 9<&-
(( __ag_status > 128 )) && __ag_deny 'no answer from the verdict server in time'
[[ -n $__ag_resp ]] || __ag_deny 'the verdict server is not reachable, so risky commands cannot be checked'
if [[ $__ag_resp == 'HTTP/1.1 200 '* && $__ag_resp == *'"decision":"allow"'* ]]; then
  exec "$__ag_real" "$@"
fi
__ag_re='"message":"(([^"\]|\\.)*)"'
__ag_msg='the verdict server gave no usable answer'
if [[ $__ag_resp =~ $__ag_re ]]; then
  __ag_msg=${BASH_REMATCH[1]}
  __ag_msg=${__ag_msg//\\\"/\"}
  __ag_msg=${__ag_msg//\\\\/\\}
fi
__ag_deny "$__ag_msg"
