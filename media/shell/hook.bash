# Agent Guardrails: the bash hook. Asks the extension's verdict server before risky commands run.
#
# Loaded by the extension's PROMPT_COMMAND bootstrap in interactive shells and through BASH_ENV in non-interactive
# ones (`bash -c`, scripts). Environment (set by the extension):
#   AGENT_GUARDRAILS_PORT, AGENT_GUARDRAILS_SECRET   the verdict server on 127.0.0.1 and its session secret
#   AGENT_GUARDRAILS_HOOK                            this file
#   AGENT_GUARDRAILS_PREFILTER                       the generated prefilter (src/hook/prefilter.ts)
#   AGENT_GUARDRAILS_BASH_ENV                        the user's own BASH_ENV, sourced first (optional)
#   AGENT_GUARDRAILS_WAIT                            seconds to wait for an answer (default 600)
# Needs bash >= 4.4 (associative arrays, PS0). It checks the whole line once (history entry, else the first simple
# command), then every simple command as it is about to run (DEBUG trap, extdebug: a non-zero return skips it).

[ -n "${BASH_VERSION-}" ] || return 0 2>/dev/null
[[ -z ${__agent_guardrails_loaded-} ]] || return 0
__agent_guardrails_loaded=1

if [[ $- != *i* && -n ${AGENT_GUARDRAILS_BASH_ENV-} && $AGENT_GUARDRAILS_BASH_ENV != "${AGENT_GUARDRAILS_HOOK-}" && -r $AGENT_GUARDRAILS_BASH_ENV ]]; then
  # shellcheck disable=SC1090
  . "$AGENT_GUARDRAILS_BASH_ENV"
fi

__agent_guardrails_version=1
__agent_guardrails_state=idle       # idle (prompt, PROMPT_COMMAND), line (checking), denied (skip the rest of the line)
__agent_guardrails_go=0             # set to 1 by PS0 when bash has read a line
__agent_guardrails_void=
__agent_guardrails_seq=0
__agent_guardrails_count=0          # DEBUG trap runs; precmd compares it to notice a removed trap
__agent_guardrails_count_seen=-1   # the count at the previous prompt
__agent_guardrails_denied_status=0
__agent_guardrails_chained=
__agent_guardrails_pf_loaded=
__agent_guardrails_pf_ok=0
__agent_guardrails_ps0='${__agent_guardrails_void:(__agent_guardrails_go=1):0}'
__agent_guardrails_msg_re='"message":"(([^"\]|\\.)*)"'

# Sends a hello or tamper event (best effort, never blocks the prompt for long).
__agent_guardrails_report() {
  local fd body LC_ALL=C
  [[ -n ${AGENT_GUARDRAILS_PORT-} && -n ${AGENT_GUARDRAILS_SECRET-} ]] || return 0
  __agent_guardrails_json "$2"
  body="{\"phase\":\"$1\",\"detail\":\"$__agent_guardrails_json_out\",\"shell\":\"bash\",\"terminalId\":\"${AGENT_GUARDRAILS_TERMINAL_ID-}\",\"pid\":\"$$\"}"
  { exec {fd}<>"/dev/tcp/127.0.0.1/$AGENT_GUARDRAILS_PORT"; } 2>/dev/null || return 0
  printf 'POST /v1/verdict HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Guardrails-Secret: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$AGENT_GUARDRAILS_SECRET" "${#body}" "$body" >&"$fd" 2>/dev/null
  IFS= read -r -d '' -t 2 body <&"$fd"
  exec {fd}>&-
  return 0
}

if (( BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4) )); then
  __agent_guardrails_json() { __agent_guardrails_json_out=; }
  __agent_guardrails_report tamper "unsupported bash $BASH_VERSION: this shell is not guarded"
  return 0
fi

# JSON string escaping into __agent_guardrails_json_out (no subshell).
__agent_guardrails_json() {
  local s=$1 out= c i code
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  if [[ $s == *[$'\x01'-$'\x1f\x7f']* ]]; then
    for (( i = 0; i < ${#s}; i++ )); do
      c=${s:i:1}
      if [[ $c == [$'\x01'-$'\x1f\x7f'] ]]; then
        printf -v code '\\u%04x' "'$c"
        out+=$code
      else
        out+=$c
      fi
    done
    s=$out
  fi
  __agent_guardrails_json_out=$s
}

# (Re)loads the generated prefilter when its first line changed; without it every command counts as risky.
__agent_guardrails_prefilter_load() {
  # The stamp is written before the read: precmd compares the file with it (a stat) and calls this only when it is newer.
  [[ -n ${__agent_guardrails_pf_stamp-} ]] && : 2>/dev/null >| "$__agent_guardrails_pf_stamp"
  local first= f=${AGENT_GUARDRAILS_PREFILTER-} i
  if [[ -z $f || ! -r $f ]] || ! IFS= read -r first < "$f"; then
    __agent_guardrails_pf_ok=0
    __agent_guardrails_pf_loaded=
    unset __agent_guardrails_cache
    declare -gA __agent_guardrails_cache=()
    return 0
  fi
  [[ $first == "$__agent_guardrails_pf_loaded" && $__agent_guardrails_pf_ok == 1 ]] && return 0
  __agent_guardrails_pf_ok=0
  unset __agent_guardrails_cache
  declare -gA __agent_guardrails_cache=()
  __agent_guardrails_pf_risky=() __agent_guardrails_pf_forms=() __agent_guardrails_pf_fragments=()
  # shellcheck disable=SC1090
  . "$f" || return 0
  [[ $first == '# agent-guardrails-prefilter '* && -n ${__agent_guardrails_pf_head-} ]] || return 0
  unset __agent_guardrails_risky __agent_guardrails_forms
  declare -gA __agent_guardrails_risky=() __agent_guardrails_forms=()
  for i in "${__agent_guardrails_pf_risky[@]}"; do __agent_guardrails_risky[$i]=1; done
  for (( i = 0; i + 1 < ${#__agent_guardrails_pf_forms[@]}; i += 2 )); do
    __agent_guardrails_forms[${__agent_guardrails_pf_forms[i]}]=${__agent_guardrails_pf_forms[i+1]}
  done
  __agent_guardrails_pf_loaded=$first
  __agent_guardrails_pf_ok=1
}

# Returns 0 when the text may run without asking (phase: line|simple). Twin of isHarmless() in src/hook/prefilter.ts
# (the prefilter test runs both on the same lines). Glob matching only on the common path: bash compiles a regex on
# every =~, which would cost more than the whole check.
__agent_guardrails_harmless() {
  local s=$1 w rest prog sub key re flat
  if [[ $__agent_guardrails_pf_ok != 1 ]]; then
    # No prefilter file: only a handful of builtins and read-only programs, without any shell syntax.
    [[ $s =~ ^[\ $'\t']*(ls|pwd|cd|echo|true|false|clear|exit|cat|printf|type|which|history|wc|head|tail|date|id|whoami)([\ $'\t'][^\|\;\&\<\>\$\`\\\(\)\"\']*)?$ ]]
    return
  fi
  [[ $__agent_guardrails_pf_everything == 1 ]] && return 1
  (( ${#s} > 4096 )) && return 1
  if [[ $2 == simple && ( $s == '[[ '* || $s == '(( '* || $s == '[['$'\t'* || $s == '(('$'\t'* ) ]]; then
    w=safe
  elif [[ $2 == line ]]; then
    [[ $s == *[\|\;\&\<\>\$\`\(\)\\$'\n\r']* ]] && return 1
  else
    [[ $s == *[\|\;\&\<\>\\$'\n\r']* ]] && return 1
  fi
  if [[ $s == *[\"\']* ]]; then
    flat=${s//[^\"]/}
    (( ${#flat} % 2 )) && return 1
    flat=${s//[^\']/}
    (( ${#flat} % 2 )) && return 1
    flat=${s//[\"\']/}
    flat=${flat,,}
  else
    flat=${s,,}
  fi
  for key in "${__agent_guardrails_pf_fragments[@]}"; do
    [[ $flat == *"$key"* ]] && return 1
  done
  [[ $w == safe ]] && return 0
  # The first word (plain characters only) and the second, as HEAD_ERE reads them.
  rest=${s#"${s%%[!$' \t']*}"}
  [[ -z $rest ]] && return 0
  w=${rest%%[$' \t']*}
  [[ $w == *[!A-Za-z0-9_./+@%:,-]* ]] && return 1
  rest=${rest:${#w}}
  rest=${rest#"${rest%%[!$' \t']*}"}
  sub=${rest%%[$' \t']*}
  prog=${w##*/}
  prog=${prog,,}
  [[ -n $prog ]] || return 0
  if [[ -z ${__agent_guardrails_risky[$prog]-} ]]; then
    [[ $prog == ?*.* && -n ${__agent_guardrails_risky[${prog%.*}]-} ]] || return 0
  fi
  [[ $s =~ $__agent_guardrails_pf_version_only ]] && return 0
  for key in "$prog $sub" "$prog"; do
    if [[ -n ${__agent_guardrails_forms[$key]+set} ]]; then
      re=${__agent_guardrails_forms[$key]}
      [[ -z $re ]] && return 0
      [[ $s =~ $re ]] || return 0
    fi
  done
  return 1
}

# Asks the server. Returns 0 allow, 1 deny, 2 unreachable; the server's sentence is in __agent_guardrails_reason.
__agent_guardrails_ask() {
  local fd body resp st LC_ALL=C
  __agent_guardrails_reason=
  [[ -n ${AGENT_GUARDRAILS_PORT-} && -n ${AGENT_GUARDRAILS_SECRET-} ]] || return 2
  __agent_guardrails_json "$2"
  body="{\"phase\":\"$1\",\"command\":\"$__agent_guardrails_json_out\""
  __agent_guardrails_json "$PWD"
  body+=",\"cwd\":\"$__agent_guardrails_json_out\",\"shell\":\"bash\",\"terminalId\":\"${AGENT_GUARDRAILS_TERMINAL_ID-}\",\"lineId\":\"${AGENT_GUARDRAILS_LINE-}\"}"
  { exec {fd}<>"/dev/tcp/127.0.0.1/$AGENT_GUARDRAILS_PORT"; } 2>/dev/null || return 2
  if ! printf 'POST /v1/verdict HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Guardrails-Secret: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
      "$AGENT_GUARDRAILS_SECRET" "${#body}" "$body" >&"$fd" 2>/dev/null; then
    exec {fd}>&-
    return 2
  fi
  IFS= read -r -d '' -t "${AGENT_GUARDRAILS_WAIT:-600}" resp <&"$fd"
  st=$?
  exec {fd}>&-
  if (( st > 128 )); then
    __agent_guardrails_reason='no answer from the verdict server in time'
    return 1
  fi
  [[ -n $resp ]] || return 2
  if [[ $resp =~ $__agent_guardrails_msg_re ]]; then
    __agent_guardrails_reason=${BASH_REMATCH[1]}
    __agent_guardrails_reason=${__agent_guardrails_reason//\\\"/\"}
    __agent_guardrails_reason=${__agent_guardrails_reason//\\\\/\\}
  fi
  [[ $resp == *'"decision":"allow"'* && $resp == 'HTTP/1.1 200 '* ]] && return 0
  [[ -n $__agent_guardrails_reason ]] || __agent_guardrails_reason='the verdict server gave no usable answer'
  return 1
}

# Returns 0 when the command may run; prints the one-line notice otherwise. Harmless texts are remembered (loops
# repeat the same text), until the prefilter changes.
__agent_guardrails_check() {
  [[ -n $2 && -n ${__agent_guardrails_cache["$1 $2"]-} ]] && return 0
  if __agent_guardrails_harmless "$2" "$1"; then
    (( ${#__agent_guardrails_cache[@]} > 2000 )) && __agent_guardrails_cache=()
    # Never the hook's own names: the precmd's trap run must reach __agent_guardrails_line_end (it counts the runs).
    [[ -n $2 && $2 != __agent_guardrails_* ]] && __agent_guardrails_cache["$1 $2"]=1
    return 0
  fi
  __agent_guardrails_ask "$1" "$2"
  case $? in
    0) return 0 ;;
    1) builtin printf 'Agent Guardrails blocked: %s (see audit log)\n' "$__agent_guardrails_reason" >&2 ;;
    *) builtin printf 'Agent Guardrails blocked: the verdict server is not reachable, so risky commands cannot be checked (see audit log)\n' >&2 ;;
  esac
  return 1
}

# The whole line: the newest history entry when this line added one, else the first simple command.
__agent_guardrails_line_text() {
  __agent_guardrails_text=$1
  [[ $- == *i* && -n ${__agent_guardrails_histfile-} ]] || return 0
  local HISTTIMEFORMAT= entry number
  builtin history 1 >| "$__agent_guardrails_histfile" 2>/dev/null || return 0
  IFS= read -r -d '' entry < "$__agent_guardrails_histfile"
  # "%5d%c %s": the number, '*' when the entry was edited (else a space), a space, the line. No regex: bash compiles one
  # on every =~, and its buffers touch more memory than the rest of the line check.
  entry=${entry#"${entry%%[! ]*}"}
  number=${entry%%[!0-9]*}
  [[ -n $number && $number != "$__agent_guardrails_histnum" ]] || return 0
  entry=${entry:${#number}}
  [[ $entry == [\ \*]\ * ]] || return 0
  __agent_guardrails_histnum=$number
  entry=${entry:2}
  __agent_guardrails_text=${entry%$'\n'}
}

# Calls the DEBUG trap that was there before (VS Code's shell integration, bash-preexec, the user's own).
__agent_guardrails_chain() {
  [[ -n $__agent_guardrails_chained ]] || return 0
  : "$1"
  builtin eval "$__agent_guardrails_chained"
}

# Every function call costs more than its commands: bash copies the function's whole body before running it, and on a
# machine where each page written after a fork costs a copy-on-write fault (tens of µs on some VMs), those copies are
# most of what the hook adds to a line that runs a program. So the trap text dispatches to small functions, and what
# runs every line is kept short; the rare paths (repairs, reloads) are separate functions.

# bash has read a new line (PS0 ran): the line check, then this first simple command.
__agent_guardrails_line_start() {
  __agent_guardrails_count=$((__agent_guardrails_count + 1))
  [[ ${FUNCNAME[2]-} == __agent_guardrails_* ]] && return 0
  __agent_guardrails_go=0
  __agent_guardrails_state=line
  [[ $- == *T* ]] || set -T
  __agent_guardrails_seq=$((__agent_guardrails_seq + 1))
  export AGENT_GUARDRAILS_LINE="${AGENT_GUARDRAILS_TERMINAL_ID-$$}.$__agent_guardrails_seq"
  [[ -n $__agent_guardrails_chained ]] && __agent_guardrails_chain "$1"
  __agent_guardrails_line_text "$BASH_COMMAND"
  if [[ -z ${__agent_guardrails_cache["line $__agent_guardrails_text"]-} ]] && ! __agent_guardrails_check line "$__agent_guardrails_text"; then
    __agent_guardrails_state=denied
    (( BASH_SUBSHELL > 0 )) && exit 126
    return 1
  fi
  [[ $__agent_guardrails_text == "$BASH_COMMAND" ]] && return 0
  __agent_guardrails_check_simple
}

# PROMPT_COMMAND starts (its first entry, our precmd, is about to run at top level): the line is over. (Typed by hand,
# the name would have reached the server with the whole line, which bash always records in history for the line
# check, and been flagged as tampering.)
__agent_guardrails_line_end() {
  __agent_guardrails_count=$((__agent_guardrails_count + 1))
  [[ $__agent_guardrails_state == denied ]] && __agent_guardrails_state=idle-denied || __agent_guardrails_state=idle
  # Until the next line, functions run untraced: otherwise every command of the prompt's own functions (this hook's
  # precmd, VS Code's) runs this trap first. The next line turns functrace back on before its first command; precmd
  # checks the flags as the line left them.
  __agent_guardrails_flags=$-
  set +T
  [[ -n $__agent_guardrails_chained ]] && __agent_guardrails_chain "$1"
  return 0
}

# Any other simple command that the trap text did not settle.
__agent_guardrails_debug() {
  __agent_guardrails_count=$((__agent_guardrails_count + 1))
  [[ ${FUNCNAME[2]-} == __agent_guardrails_* ]] && return 0
  local top=0
  (( ${#FUNCNAME[@]} == 2 && BASH_SUBSHELL == 0 )) && [[ -z ${COMP_LINE-} ]] && top=1
  case $__agent_guardrails_state in
    idle*) (( top )) && __agent_guardrails_chain "$1"; return 0 ;;
    denied) return 1 ;;
  esac
  (( top )) && __agent_guardrails_chain "$1"
  __agent_guardrails_check_simple
}

# The simple command about to run ($BASH_COMMAND): 0 when it may run.
__agent_guardrails_check_simple() {
  __agent_guardrails_check simple "$BASH_COMMAND" && return 0
  if [[ $- == *i* ]] && (( BASH_SUBSHELL == 0 )); then
    __agent_guardrails_state=denied
    return 1
  fi
  # A script, `bash -c` or a subshell: stop it, so the caller sees the failure.
  exit 126
}

# The trap text settles the most common case without a function call: a simple command of the current line whose
# text already passed the prefilter (loops, scripts). It is parsed again for every command, so it stays short; the
# rest goes to a small dispatcher. Only where no other trap needs each command (see _fast).
__agent_guardrails_install_trap() {
  trap '[[ $__agent_guardrails_go$__agent_guardrails_state$__agent_guardrails_fast == 0line1 && -n ${__agent_guardrails_cache["simple $BASH_COMMAND"]-} ]] || __agent_guardrails_trap "$_"' DEBUG
}

# The line's first command, the line's end, the prompt's own commands between lines (only the chained trap runs, as it
# would without the hook), anything else. The functions it calls look at FUNCNAME[2] for who is running.
__agent_guardrails_trap() {
  if (( __agent_guardrails_go == 1 )); then
    __agent_guardrails_line_start "$1"
  elif [[ $BASH_COMMAND == __agent_guardrails_precmd && ${#FUNCNAME[@]} == 1 && $BASH_SUBSHELL == 0 ]]; then
    __agent_guardrails_line_end "$1"
  elif [[ $__agent_guardrails_state$__agent_guardrails_fast == idle*1 && ${#FUNCNAME[@]} == 1 && $BASH_SUBSHELL == 0 && -z ${COMP_LINE-} ]]; then
    [[ -n $__agent_guardrails_chained ]] && __agent_guardrails_chain "$1"
    return 0
  else
    __agent_guardrails_debug "$1"
  fi
}

# First entry of PROMPT_COMMAND: ends the line, keeps $?, reloads a changed prefilter, applies the history settings,
# repairs and reports tampering (each check is a test here; the work is in functions called only when needed).
__agent_guardrails_precmd() {
  local status=$?
  [[ $__agent_guardrails_state == *denied ]] && status=126
  __agent_guardrails_state=idle
  __agent_guardrails_go=0
  [[ $__agent_guardrails_pf_ok == 1 && -n ${__agent_guardrails_pf_stamp-} && ! ${AGENT_GUARDRAILS_PREFILTER-} -nt $__agent_guardrails_pf_stamp && -e $__agent_guardrails_pf_stamp ]] || __agent_guardrails_prefilter_load
  # A new line in history: the clean-up drops it if the user's settings would have kept it out (none set: nothing to do).
  if [[ $__agent_guardrails_histnum != "$__agent_guardrails_hist_cleaned" ]]; then
    if [[ $__agent_guardrails_hist_ignorespace == 1 || $__agent_guardrails_hist_ignoredups == 1 || -n $__agent_guardrails_hist_ignore ]]; then
      __agent_guardrails_history_cleanup
    else
      __agent_guardrails_hist_cleaned=$__agent_guardrails_histnum __agent_guardrails_hist_previous=$__agent_guardrails_text
    fi
  fi
  if [[ $__agent_guardrails_count == "$__agent_guardrails_count_seen" || ${__agent_guardrails_flags-T} != *T* ||
        :$BASHOPTS: != *:extdebug:* || :$BASHOPTS: != *:promptvars:* || :$SHELLOPTS: != *:history:* ||
        ${PS0-} != *"$__agent_guardrails_ps0"* || ${HISTCONTROL-} != "$__agent_guardrails_histcontrol_set" || -n ${HISTIGNORE-} ||
        ( -n ${AGENT_GUARDRAILS_GUARD_DIR-} && :$PATH: != *:"$AGENT_GUARDRAILS_GUARD_DIR":* ) ]]; then
    __agent_guardrails_repair
  fi
  __agent_guardrails_flags=T
  __agent_guardrails_count_seen=$__agent_guardrails_count
  return "$status"
}

# Puts back what an agent (or a .bashrc) changed in the hook's state, and reports it.
__agent_guardrails_repair() {
  local problems=
  if [[ $__agent_guardrails_count == "$__agent_guardrails_count_seen" ]]; then
    problems+='DEBUG trap removed; '
    __agent_guardrails_install_trap
  fi
  shopt -q extdebug || { problems+='extdebug turned off; '; shopt -s extdebug; }
  shopt -q promptvars || { problems+='promptvars turned off; '; shopt -s promptvars; }
  [[ ${__agent_guardrails_flags-T} == *T* ]] || problems+='functrace turned off; '
  [[ :$SHELLOPTS: == *:history:* ]] || { problems+='history turned off; '; set -o history; }
  [[ ${PS0-} == *"$__agent_guardrails_ps0"* ]] || { problems+='PS0 changed; '; PS0=$__agent_guardrails_ps0${PS0-}; }
  if [[ ${HISTCONTROL-} != "$__agent_guardrails_histcontrol_set" || -n ${HISTIGNORE-} ]]; then
    problems+='HISTCONTROL changed; '
    __agent_guardrails_take_history_settings
  fi
  if [[ -n ${AGENT_GUARDRAILS_GUARD_DIR-} && :$PATH: != *:"$AGENT_GUARDRAILS_GUARD_DIR":* ]]; then
    problems+='PATH guard removed from PATH; '
    PATH=$AGENT_GUARDRAILS_GUARD_DIR:$PATH
  fi
  [[ -n $problems ]] && __agent_guardrails_report tamper "${problems%; } (restored)"
  return 0
}

# The user's HISTCONTROL/HISTIGNORE keep lines out of history, which would hide whole lines from the check. The hook
# records every line and deletes afterwards the ones the user's settings would have dropped.
__agent_guardrails_take_history_settings() {
  __agent_guardrails_hist_ignorespace=0 __agent_guardrails_hist_ignoredups=0
  [[ ${HISTCONTROL-} == *ignorespace* || ${HISTCONTROL-} == *ignoreboth* ]] && __agent_guardrails_hist_ignorespace=1
  [[ ${HISTCONTROL-} == *ignoredups* || ${HISTCONTROL-} == *ignoreboth* ]] && __agent_guardrails_hist_ignoredups=1
  __agent_guardrails_hist_ignore=${HISTIGNORE-}
  HISTIGNORE=
  local keep=
  [[ ${HISTCONTROL-} == *erasedups* ]] && keep=erasedups
  HISTCONTROL=$keep
  __agent_guardrails_histcontrol_set=$keep
}

__agent_guardrails_history_cleanup() {
  [[ -n ${__agent_guardrails_histfile-} && $__agent_guardrails_histnum != "$__agent_guardrails_hist_cleaned" ]] || return 0
  __agent_guardrails_hist_cleaned=$__agent_guardrails_histnum
  local text=$__agent_guardrails_text drop=0 pattern
  (( __agent_guardrails_hist_ignorespace )) && [[ $text == [\ $'\t']* ]] && drop=1
  (( __agent_guardrails_hist_ignoredups )) && [[ $text == "${__agent_guardrails_hist_previous-}" ]] && drop=1
  if [[ -n $__agent_guardrails_hist_ignore ]]; then
    local IFS=:
    for pattern in $__agent_guardrails_hist_ignore; do
      # shellcheck disable=SC2053
      [[ $text == $pattern ]] && drop=1
    done
  fi
  if (( drop )); then
    builtin history -d "$__agent_guardrails_histnum" 2>/dev/null
    # The next line gets the number this one had: forget it, or line_text would take that line for no new line.
    __agent_guardrails_histnum= __agent_guardrails_hist_cleaned=
  else
    __agent_guardrails_hist_previous=$text
  fi
}

# End of PROMPT_COMMAND
__agent_guardrails_setup_interactive() {
  export AGENT_GUARDRAILS_TERMINAL_ID=${AGENT_GUARDRAILS_TERMINAL_ID:-$$}
  # A private folder: the line text read back from it decides what gets checked. In memory where possible: the line
  # is written there once per prompt, and a disk file system can make that the most expensive part of the check.
  local dir base
  __agent_guardrails_histfile=
  for base in /dev/shm "${XDG_RUNTIME_DIR-}" "${TMPDIR:-/tmp}"; do
    [[ -n $base && -d $base && -w $base ]] || continue
    dir=$base/agent-guardrails-$UID
    if { [[ -d $dir ]] || mkdir -m 700 "$dir"; } 2>/dev/null && [[ -O $dir && ! -L $dir && -w $dir ]]; then
      __agent_guardrails_histfile=$dir/history.$$
      __agent_guardrails_pf_stamp=$dir/prefilter.$$
      break
    fi
  done
  __agent_guardrails_take_history_settings
  set -o history
  __agent_guardrails_histnum=
  __agent_guardrails_line_text ''
  __agent_guardrails_hist_cleaned=$__agent_guardrails_histnum
  PS0=$__agent_guardrails_ps0${PS0-}
  # Our precmd first, so it sees the line's status and runs before anything the line may have changed.
  if [[ ${PROMPT_COMMAND-} != *__agent_guardrails_precmd* ]]; then
    if (( BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1) )) && (( ${#PROMPT_COMMAND[@]} > 1 )); then
      PROMPT_COMMAND=(__agent_guardrails_precmd "${PROMPT_COMMAND[@]}")
    else
      PROMPT_COMMAND=$'__agent_guardrails_precmd\n'${PROMPT_COMMAND-}
    fi
  fi
}

# Which trap to chain: VS Code's (by name: inside its PROMPT_COMMAND function the trap text is hidden), bash-preexec's,
# or the one that is visible here.
if [[ -n ${bash_preexec_imported-} ]] && declare -F __bp_preexec_invoke_exec >/dev/null; then
  __agent_guardrails_chained='__bp_preexec_invoke_exec "$_"'
elif declare -F __vsc_preexec_all >/dev/null; then
  __agent_guardrails_chained='__vsc_preexec_all "$_"'
elif declare -F __vsc_preexec_only >/dev/null; then
  __agent_guardrails_chained='__vsc_preexec_only "$_"'
else
  __agent_guardrails_chained=$(trap -p DEBUG)
  __agent_guardrails_chained=${__agent_guardrails_chained#trap -- \'}
  __agent_guardrails_chained=${__agent_guardrails_chained%\' DEBUG}
  __agent_guardrails_chained=${__agent_guardrails_chained//\'\\\'\'/\'}
  [[ $__agent_guardrails_chained == *__agent_guardrails_trap* || $__agent_guardrails_chained == *__agent_guardrails_debug* ]] && __agent_guardrails_chained=
fi
# VS Code's and bash-preexec's traps act once per line (the first command, which always takes the slow path); any
# other trap is called for every command, so the fast path is off.
case $__agent_guardrails_chained in
  ''|'__vsc_preexec_all "$_"'|'__vsc_preexec_only "$_"'|'__bp_preexec_invoke_exec "$_"') __agent_guardrails_fast=1 ;;
  *) __agent_guardrails_fast=0 ;;
esac

# ---- install (everything above only defines; tests source it up to here) ----
__agent_guardrails_prefilter_load
if [[ $- == *i* ]]; then
  __agent_guardrails_setup_interactive
  __agent_guardrails_state=idle
  shopt -s extdebug
  set -T
  __agent_guardrails_install_trap
  __agent_guardrails_report hello "interactive bash $BASH_VERSION"
else
  # Non-interactive: every simple command is checked. extdebug cannot be turned on while bash reads its startup files
  # (it would try to load the bash debugger), so the first trap run turns it on; that run already skips a denied command.
  __agent_guardrails_state=line
  set -T
  trap '__agent_guardrails_last=$_; shopt -s extdebug; __agent_guardrails_install_trap; __agent_guardrails_trap "$__agent_guardrails_last"' DEBUG
fi
