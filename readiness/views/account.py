"""Two-factor sign-in (TOTP) and password change."""

import base64
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from readiness.forms import GovukPasswordChangeForm, TwoFactorCodeForm

SETUP_DEVICE_NAME = "Authenticator app"
TWO_FACTOR_READY = "Two-factor sign-in is set up. You will need a code from your app each time you sign in."
PASSWORD_CHANGED = "Your password has been changed. You have been signed out everywhere else."  # noqa: S105  # nosec B105


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


class TwoFactorVerifyView(View):
    """Ask a password-authenticated user for the current code from their confirmed device."""

    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(_next_url(request))
        if not user_has_device(request.user):
            return redirect(f"{reverse('two-factor-setup')}?{urlencode({'next': _next_url(request)})}")
        return super().dispatch(request, *args, **kwargs)

    def _device(self):
        return TOTPDevice.objects.filter(user=self.request.user, confirmed=True).first()

    def get(self, request):
        return render(request, self.template_name, {"form": TwoFactorCodeForm(), "next": _next_url(request)})

    def post(self, request):
        device = self._device()
        form = TwoFactorCodeForm(request.POST, device=device)
        if form.is_valid():
            otp_login(request, device)
            return redirect(_next_url(request))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})


class TwoFactorSetupView(View):
    """First sign-in: show a QR code for an authenticator app and confirm it with one code."""

    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if user_has_device(request.user):
            return redirect(
                _next_url(request) if request.user.is_verified() else reverse("two-factor-verify")
            )
        return super().dispatch(request, *args, **kwargs)

    def _device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        return device or TOTPDevice.objects.create(
            user=self.request.user, name=SETUP_DEVICE_NAME, confirmed=False
        )

    def _context(self, device, form):
        svg = io.BytesIO()
        write_qrcode_image(device.config_url, svg)
        secret = base64.b32encode(device.bin_key).decode()
        return {
            "form": form,
            "next": _next_url(self.request),
            "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode(),
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        }

    def get(self, request):
        device = self._device()
        return render(request, self.template_name, self._context(device, TwoFactorCodeForm()))

    def post(self, request):
        device = self._device()
        form = TwoFactorCodeForm(request.POST, device=device)
        if form.is_valid():
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, TWO_FACTOR_READY)
            return redirect(_next_url(request))
        return render(request, self.template_name, self._context(device, form))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change password; Django's session hash then signs the user out of every other session."""

    form_class = GovukPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("readiness:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response
