"""allauth forms with what PEERS adds to them."""

from allauth.account.forms import ConfirmLoginCodeForm
from django import forms


class RememberingConfirmLoginCodeForm(ConfirmLoginCodeForm):
    """A sign-in by code, like one by password, ends when the browser closes unless the
    person asks to be remembered (peers.views.confirm_login_code applies the choice)."""

    remember = forms.BooleanField(required=False, label="Remember me")
