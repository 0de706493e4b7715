"""Public input: the form «Gi innspill» and its receipt, the privacy page, and the moderators'
list on Min side (approve, reject, answer)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit
from ipware import get_client_ip

from drivkraft.core.caching import public_page
from drivkraft.core.htmx import HtmxHttpRequest, wants_fragment
from measures.models import Measure
from participation import selectors, services
from participation.forms import AnswerForm, PublicInputForm
from participation.models import InputState, PublicInput
from participation.services import EMAIL_RETENTION_DAYS

# Posts of input per address: more than this an hour are refused with 429.
RATE = "5/h"


def client_address(group: str, request: HttpRequest) -> str:
    """The sender's address for the rate limit: the same one django-axes counts logins by
    (behind a proxy, from X-Forwarded-For; `AXES_PROXY_COUNT`)."""
    address, _routable = get_client_ip(
        request,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address or request.META.get("REMOTE_ADDR", "")


def _same_origin(request: HttpRequest) -> bool:
    """A browser posting from another site says so in `Origin`; this form is posted from ours."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def _public_measure(slug: str) -> Measure:
    measure = Measure.objects.public().filter(slug=slug).first()
    if measure is None:
        raise Http404(_("Fant ikke tiltaket."))
    return measure


def _form_response(
    request: HtmxHttpRequest, measure: Measure, form: PublicInputForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "measure": measure,
        "form": form,
        "action": reverse("participation:submit", kwargs={"slug": measure.slug}),
        "limited": status == 429,
    }
    template = "participation/input.html"
    if wants_fragment(request):
        template += "#form"
    return render(request, template, context, status=status)


# No CSRF token: the measure page is shared from the page cache, so a token in it would be one
# visitor's for everyone. The post acts for nobody (no login, no session is read or changed), so
# a forged one could do no more than the forger could do directly; posts from other sites are
# refused by their Origin, and the signed time stamp is the form's own token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key=client_address, rate=RATE, method="POST", block=False)
def submit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """/tiltak/<slug>/innspill/: the form on its own page (GET), and where every form posts."""
    measure = _public_measure(slug)
    if request.method != "POST":
        return _form_response(request, measure, PublicInputForm())
    if not _same_origin(request):
        raise PermissionDenied
    form = PublicInputForm(request.POST)
    if getattr(request, "limited", False):
        # What was written stays in the form (unchecked: nothing is saved).
        form.is_valid()
        form.errors.clear()
        return _form_response(request, measure, form, status=429)
    if not form.is_valid():
        return _form_response(request, measure, form, status=400)
    try:
        services.public_input_create(
            measure=measure,
            text=form.cleaned_data["text"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            consent=form.cleaned_data["consent"],
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _form_response(request, measure, form, status=400)
    if wants_fragment(request):
        return render(request, "participation/receipt.html#receipt", {"measure": measure})
    return redirect("participation:receipt", slug=measure.slug)


@require_safe
def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "participation/receipt.html", {"measure": _public_measure(slug)})


@require_safe
@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/privacy.html", {"retention_days": EMAIL_RETENTION_DAYS})


@require_safe
@login_required
def moderation_list(request: HttpRequest) -> HttpResponse:
    """/min-side/innspill/: the input on the user's measures (all of them for the project
    leader), new first, each with its decisions."""
    if not request.user.has_perm("participation.view_publicinput"):
        raise PermissionDenied
    inputs = list(selectors.moderated_inputs(user=request.user)[:200])
    context: dict[str, Any] = {
        "new": [i for i in inputs if i.state == InputState.NEW],
        "decided": [i for i in inputs if i.state != InputState.NEW],
        "answer_form": AnswerForm(),
        "retention_days": EMAIL_RETENTION_DAYS,
    }
    return render(request, "participation/moderation.html", context)


@require_POST
@login_required
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, reject or answer one input (`action`); every decision is recorded."""
    public_input = PublicInput.objects.select_related("measure").filter(pk=pk).first()
    if public_input is None:
        raise Http404(_("Fant ikke innspillet."))
    if not request.user.has_perm("participation.moderate_publicinput", public_input):
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "approve":
        services.public_input_decide(
            public_input=public_input, state=InputState.APPROVED, user=request.user
        )
        messages.success(request, _("Innspillet er godkjent og vises nå på tiltakets side."))
    elif action == "reject":
        services.public_input_decide(
            public_input=public_input, state=InputState.REJECTED, user=request.user
        )
        messages.success(request, _("Innspillet er avvist og vises ikke offentlig."))
    elif action == "answer":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Svaret ble ikke lagret: skriv et svar på høyst 2000 tegn."))
            return redirect(f"{reverse('participation:moderation')}#innspill-{pk}")
        services.public_input_answer(
            public_input=public_input, answer=form.cleaned_data["answer"], user=request.user
        )
        messages.success(
            request,
            _("Svaret er lagret.")
            + (" " + _("Det er sendt til avsenderens e-post.") if public_input.email else ""),
        )
    else:
        return HttpResponse(_("Ukjent handling."), status=400)
    return redirect(f"{reverse('participation:moderation')}#innspill-{pk}")
