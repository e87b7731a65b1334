# Agent Guardrails: ZDOTDIR chain to the user's own .zprofile.
[[ -r ${AGENT_GUARDRAILS_USER_ZDOTDIR:-$HOME}/.zprofile ]] && source ${AGENT_GUARDRAILS_USER_ZDOTDIR:-$HOME}/.zprofile
