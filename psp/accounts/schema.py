"""How the API's token authentication appears in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ProgramTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "psp.accounts.authentication.ProgramTokenAuthentication"
    name = "programToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token psp_…` (or `Bearer psp_…`). Create a token on the API tokens page of a "
                "program, or with `manage.py create_api_token`; it works for that program only."
            ),
        }
