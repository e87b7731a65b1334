# Agent Guardrails: ZDOTDIR chain to the user's own .zlogin.
[[ -r ${AGENT_GUARDRAILS_USER_ZDOTDIR:-$HOME}/.zlogin ]] && source ${AGENT_GUARDRAILS_USER_ZDOTDIR:-$HOME}/.zlogin
