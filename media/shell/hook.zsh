# Agent Guardrails: the zsh hook. Asks the extension's verdict server before risky commands run.
#
# Loaded from media/shell/zdotdir (the extension sets ZDOTDIR there and AGENT_GUARDRAILS_USER_ZDOTDIR to the user's):
# .zshenv loads it for every zsh, after the user's own .zshenv. Same variables as hook.bash.
# Interactive: preexec checks the whole line (preexec cannot cancel, so it records the answer) and the DEBUG trap
# skips every command of a denied line (ERR_EXIT set inside a DEBUG trap skips the command, DEBUG_BEFORE_CMD is on
# by default); the DEBUG trap also checks each command as it is about to run (functions, loops).
# Non-interactive (`zsh -c`, scripts): the DEBUG trap checks each command and exits with 126 on a deny.

[[ -n ${ZSH_VERSION-} ]] || return 0
[[ -z ${__agent_guardrails_loaded-} ]] || return 0
typeset -g __agent_guardrails_loaded=1
zmodload zsh/net/tcp 2>/dev/null || { return 0; }
autoload -Uz add-zsh-hook

typeset -g __agent_guardrails_state=idle __agent_guardrails_seq=0 __agent_guardrails_reason= __agent_guardrails_json_out=
typeset -g __agent_guardrails_pf_ok=0 __agent_guardrails_pf_loaded= __agent_guardrails_checked_line=
typeset -gi __agent_guardrails_count=0
typeset -gA __agent_guardrails_risky __agent_guardrails_forms

__agent_guardrails_json() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  s=${s//[$'\x01'-$'\x1f\x7f']/ }
  __agent_guardrails_json_out=$s
}

__agent_guardrails_prefilter_load() {
  local first= f=${AGENT_GUARDRAILS_PREFILTER-} i
  if [[ -z $f || ! -r $f ]] || ! IFS= read -r first < $f; then
    __agent_guardrails_pf_ok=0; __agent_guardrails_pf_loaded=; return 0
  fi
  [[ $first == $__agent_guardrails_pf_loaded && $__agent_guardrails_pf_ok == 1 ]] && return 0
  __agent_guardrails_pf_ok=0
  source $f || return 0
  __agent_guardrails_risky=()
  __agent_guardrails_forms=()
  for i in $__agent_guardrails_pf_risky; __agent_guardrails_risky[$i]=1
  for (( i = 1; i < ${#__agent_guardrails_pf_forms}; i += 2 )); do
    __agent_guardrails_forms[${__agent_guardrails_pf_forms[i]}]=${__agent_guardrails_pf_forms[i+1]}
  done
  __agent_guardrails_pf_loaded=$first
  __agent_guardrails_pf_ok=1
}

# Twin of isHarmless() (src/hook/prefilter.ts), line phase rules for both phases (zsh shows whole sublists). Glob
# matching only on the common path: zsh compiles a regex on every =~, and compiling the head regex took 5 ms and
# 60 fresh pages per typed line here; only risky programs reach the regexes of the read-only forms.
__agent_guardrails_harmless() {
  emulate -L zsh
  local s=$1 w rest prog sub key re flat
  if [[ $__agent_guardrails_pf_ok != 1 ]]; then
    [[ $s =~ '^[ 	]*(ls|pwd|cd|echo|true|false|clear|exit|cat|printf|type|which|history|wc|head|tail|date|id|whoami)([ 	][^|;&<>$`\\()]*)?$' ]]
    return
  fi
  [[ $__agent_guardrails_pf_everything == 1 ]] && return 1
  (( ${#s} > 4096 )) && return 1
  # LINE_META_ERE
  [[ $s == *[\|\;\&\<\>\$\`\(\)\\$'\n\r']* ]] && return 1
  flat=${s//[^\"]/}; (( ${#flat} % 2 )) && return 1
  flat=${s//[^\']/}; (( ${#flat} % 2 )) && return 1
  flat=${(L)s//[\"\']/}
  for key in $__agent_guardrails_pf_fragments; [[ $flat == *${key}* ]] && return 1
  # The first word (plain characters only) and the second, as HEAD_ERE reads them; blanks only are harmless.
  rest=${s#${s%%[^$' \t']*}}
  [[ -z $rest ]] && return 0
  w=${rest%%[$' \t']*}
  [[ $w == *[^A-Za-z0-9_./+@%:,-]* ]] && return 1
  rest=${rest:${#w}}
  rest=${rest#${rest%%[^$' \t']*}}
  sub=${rest%%[$' \t']*}
  prog=${(L)w##*/}
  [[ -n $prog ]] || return 0
  if [[ -z ${__agent_guardrails_risky[$prog]-} ]]; then
    [[ $prog == ?*.* && -n ${__agent_guardrails_risky[${prog%.*}]-} ]] || return 0
  fi
  [[ $s =~ $__agent_guardrails_pf_version_only ]] && return 0
  for key in "$prog $sub" "$prog"; do
    if (( ${+__agent_guardrails_forms[$key]} )); then
      re=${__agent_guardrails_forms[$key]}
      [[ -z $re ]] && return 0
      [[ $s =~ $re ]] || return 0
    fi
  done
  return 1
}

# 0 allow, 1 deny, 2 unreachable; the server's sentence in __agent_guardrails_reason.
__agent_guardrails_ask() {
  emulate -L zsh
  setopt BASH_REMATCH
  local fd body resp line re='"message":"(([^"\]|\\.)*)"'
  __agent_guardrails_reason=
  [[ -n ${AGENT_GUARDRAILS_PORT-} && -n ${AGENT_GUARDRAILS_SECRET-} ]] || return 2
  __agent_guardrails_json "$2"
  body="{\"phase\":\"$1\",\"command\":\"$__agent_guardrails_json_out\""
  __agent_guardrails_json "$PWD"
  body+=",\"cwd\":\"$__agent_guardrails_json_out\",\"shell\":\"zsh\",\"terminalId\":\"${AGENT_GUARDRAILS_TERMINAL_ID-}\",\"lineId\":\"${AGENT_GUARDRAILS_LINE-}\"}"
  ztcp 127.0.0.1 $AGENT_GUARDRAILS_PORT 2>/dev/null || return 2
  fd=$REPLY
  local bytes LC_ALL=C
  bytes=${#body}
  print -rn -u $fd -- $'POST /v1/verdict HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Guardrails-Secret: '"$AGENT_GUARDRAILS_SECRET"$'\r\nContent-Type: application/json\r\nContent-Length: '"$bytes"$'\r\nConnection: close\r\n\r\n'"$body" 2>/dev/null || { ztcp -c $fd; return 2; }
  resp=
  while IFS= read -r -t ${AGENT_GUARDRAILS_WAIT:-600} -u $fd line; do resp+=$line$'\n'; done
  resp+=$line
  ztcp -c $fd 2>/dev/null
  [[ -n $resp ]] || { __agent_guardrails_reason='no answer from the verdict server in time'; return 1; }
  if [[ $resp =~ $re ]]; then
    __agent_guardrails_reason=${BASH_REMATCH[2]}
    __agent_guardrails_reason=${__agent_guardrails_reason//\\\"/\"}
    __agent_guardrails_reason=${__agent_guardrails_reason//\\\\/\\}
  fi
  [[ $resp == 'HTTP/1.1 200 '* && $resp == *'"decision":"allow"'* ]] && return 0
  [[ -n $__agent_guardrails_reason ]] || __agent_guardrails_reason='the verdict server gave no usable answer'
  return 1
}

# Sends a hello or tamper event (best effort).
__agent_guardrails_report() {
  emulate -L zsh
  local fd body line LC_ALL=C
  [[ -n ${AGENT_GUARDRAILS_PORT-} && -n ${AGENT_GUARDRAILS_SECRET-} ]] || return 0
  __agent_guardrails_json "$2"
  body="{\"phase\":\"$1\",\"detail\":\"$__agent_guardrails_json_out\",\"shell\":\"zsh\",\"terminalId\":\"${AGENT_GUARDRAILS_TERMINAL_ID-}\",\"pid\":\"$$\"}"
  ztcp 127.0.0.1 $AGENT_GUARDRAILS_PORT 2>/dev/null || return 0
  fd=$REPLY
  print -rn -u $fd -- $'POST /v1/verdict HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Guardrails-Secret: '"$AGENT_GUARDRAILS_SECRET"$'\r\nContent-Type: application/json\r\nContent-Length: '"${#body}"$'\r\nConnection: close\r\n\r\n'"$body" 2>/dev/null
  while IFS= read -r -t 2 -u $fd line; do :; done
  ztcp -c $fd 2>/dev/null
  return 0
}

__agent_guardrails_check() {
  __agent_guardrails_harmless "$2" && return 0
  __agent_guardrails_ask "$1" "$2"
  case $? in
    0) return 0 ;;
    1) print -r -- "Agent Guardrails blocked: $__agent_guardrails_reason (see audit log)" >&2 ;;
    *) print -r -- 'Agent Guardrails blocked: the verdict server is not reachable, so risky commands cannot be checked (see audit log)' >&2 ;;
  esac
  return 1
}

__agent_guardrails_preexec() {
  __agent_guardrails_seq=$(( __agent_guardrails_seq + 1 ))
  export AGENT_GUARDRAILS_LINE="${AGENT_GUARDRAILS_TERMINAL_ID-$$}.$__agent_guardrails_seq"
  __agent_guardrails_checked_line=$1
  if __agent_guardrails_check line "$1"; then
    __agent_guardrails_state=line
  else
    __agent_guardrails_state=denied
  fi
}

# Our precmd runs first and our preexec last, also among hooks added after the hook loaded (VS Code's shell
# integration adds its own after .zshrc): other hooks then run while the state is idle, so the DEBUG trap does not
# check (or, on a denied line, skip) their commands, and VS Code sees the start of every line.
__agent_guardrails_order_hooks() {
  [[ ${precmd_functions[1]-} == __agent_guardrails_precmd ]] ||
    precmd_functions=(__agent_guardrails_precmd ${precmd_functions:#__agent_guardrails_precmd})
  [[ ${preexec_functions[-1]-} == __agent_guardrails_preexec ]] ||
    preexec_functions=(${preexec_functions:#__agent_guardrails_preexec} __agent_guardrails_preexec)
}

# The trap runs before every command, also those of the prompt's hooks and of this hook's own functions: those it
# settles in its text (the count for precmd's probe, then idle or one of ours), since a function call for each of
# them cost about 50 µs, 2–3 ms per typed line here.
__agent_guardrails_install_trap() {
  trap '__agent_guardrails_count=$(( __agent_guardrails_count + 1 )); [[ $__agent_guardrails_state == idle || ${funcstack[1]-} == __agent_guardrails_* ]] || __agent_guardrails_debug "$ZSH_DEBUG_CMD" || { setopt ERR_EXIT; return 126; }' DEBUG
}

# First precmd hook: ends the line, keeps $?, repairs and reports tampering. The DEBUG trap also runs for the commands
# of precmd hooks: when the probe command below does not move the count, the trap is gone or replaced.
__agent_guardrails_precmd() {
  local st=$? problems= before=$__agent_guardrails_count
  __agent_guardrails_state=idle
  if (( __agent_guardrails_count == before )); then
    problems+='DEBUG trap removed; '
    __agent_guardrails_install_trap
  fi
  (( ${preexec_functions[(Ie)__agent_guardrails_preexec]} )) || problems+='preexec hook removed; '
  [[ -o debugbeforecmd ]] || { problems+='DEBUG_BEFORE_CMD turned off; '; setopt DEBUG_BEFORE_CMD; }
  if [[ -n ${AGENT_GUARDRAILS_GUARD_DIR-} && :$PATH: != *:"$AGENT_GUARDRAILS_GUARD_DIR":* ]]; then
    problems+='PATH guard removed from PATH; '
    PATH=$AGENT_GUARDRAILS_GUARD_DIR:$PATH
  fi
  __agent_guardrails_order_hooks
  __agent_guardrails_prefilter_load
  [[ -n $problems ]] && __agent_guardrails_report tamper "${problems%; } (restored)"
  return $st
}

# A command (sublist) of a line that is not idle, outside this hook's functions. Setting ERR_EXIT in the trap skips it.
__agent_guardrails_debug() {
  case $__agent_guardrails_state in
    idle) return 0 ;;
    denied) return 1 ;;
  esac
  local cmd=$1
  [[ $cmd == "$__agent_guardrails_checked_line" ]] && return 0
  __agent_guardrails_check simple "$cmd" && return 0
  if [[ -o interactive ]] && (( ZSH_SUBSHELL == 0 )); then
    __agent_guardrails_state=denied
    return 1
  fi
  exit 126
}

# ---- install (everything above only defines; tests source it up to here) ----
__agent_guardrails_prefilter_load
if [[ -o interactive ]]; then
  export AGENT_GUARDRAILS_TERMINAL_ID=${AGENT_GUARDRAILS_TERMINAL_ID:-$$}
  add-zsh-hook preexec __agent_guardrails_preexec
  add-zsh-hook precmd __agent_guardrails_precmd
  # precmd first, so it sees the status of the line before anything else runs; preexec last (see order_hooks).
  __agent_guardrails_order_hooks
  __agent_guardrails_report hello "interactive zsh $ZSH_VERSION"
else
  __agent_guardrails_state=line
fi
# `return 126` gives the skipped command the status 126, so a denied line ends with 126 ($?, precmd hooks, VS Code).
__agent_guardrails_install_trap
