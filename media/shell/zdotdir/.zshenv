# Agent Guardrails: ZDOTDIR chain. Runs the user's own .zshenv, then loads the hook (every zsh, interactive or not).
__agent_guardrails_zdotdir=$ZDOTDIR
ZDOTDIR=${AGENT_GUARDRAILS_USER_ZDOTDIR:-$HOME}
[[ -r $ZDOTDIR/.zshenv && $ZDOTDIR != $__agent_guardrails_zdotdir ]] && source $ZDOTDIR/.zshenv
# The user's .zprofile/.zshrc/.zlogin come from our files, which chain to theirs.
ZDOTDIR=$__agent_guardrails_zdotdir
[[ -o interactive ]] || { [[ -r ${AGENT_GUARDRAILS_ZSH_HOOK-} ]] && source $AGENT_GUARDRAILS_ZSH_HOOK; }
