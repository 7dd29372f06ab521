"""The outreach panel of a request's page (support_requests/detail.html), which is only
rendered after access allowed a full read: the name, the message, the outcome."""

from django import template

from peers.models import Role
from peers.selectors import program_ids_with_role
from support_requests.access_outreach import outreach_of
from support_requests.forms_outreach import OutcomeForm

register = template.Library()


@register.inclusion_tag("support_requests/_outreach_panel.html", takes_context=True)
def outreach_panel(context) -> dict:
    support_request = context["support_request"]
    return {
        "outreach": outreach_of(support_request),
        "support_request": support_request,
        "can_act": context.get("is_lead") or context.get("can_work"),
        "outcome_form": OutcomeForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def leads_support(user) -> bool:
    """Whether to offer the lead's "reach out after an event" link."""
    return bool(program_ids_with_role(user, Role.SUPPORT_LEAD))
