from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Swedish unless the user chose another language (the language cookie set by the
    language switcher). The browser's Accept-Language is ignored on purpose: a
    municipality's computers often run English browsers, and the service is Swedish.

    The language holds for this request only (``override``): a thread that serves the
    next request, or runs a command, is not left in English."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Pages, API answers and files can carry personal data: no browser, proxy or shared
    computer may keep a copy (``Cache-Control: no-store``). Static files are served by
    WhiteNoise before this middleware and keep their long cache headers; a response that
    sets its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cache-Control", "no-store")
        return response
