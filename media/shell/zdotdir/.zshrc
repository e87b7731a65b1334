# Agent Guardrails: ZDOTDIR chain. Runs the user's own .zshrc (with ZDOTDIR pointing at their folder), then loads
# the hook. ZDOTDIR goes back to ours afterwards, so child zsh processes load the hook through .zshenv too.
__agent_guardrails_zdotdir=$ZDOTDIR
ZDOTDIR=${AGENT_GUARDRAILS_USER_ZDOTDIR:-$HOME}
[[ -r $ZDOTDIR/.zshrc ]] && source $ZDOTDIR/.zshrc
[[ -r ${AGENT_GUARDRAILS_ZSH_HOOK-} ]] && source $AGENT_GUARDRAILS_ZSH_HOOK
ZDOTDIR=$__agent_guardrails_zdotdir
