"""Single sign-on through the municipality's identity provider: OpenID Connect
(mozilla-django-oidc) and SAML 2.0 (djangosaml2), configured per municipality."""
