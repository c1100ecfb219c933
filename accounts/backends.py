from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    """The model backend, loading the user's areas in the same query as the user."""

    def get_user(self, user_id):
        user_model = self.__class__._user_model()
        try:
            user = user_model._default_manager.select_related(
                "township", "community", "organization__community"
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    @staticmethod
    def _user_model():
        from django.contrib.auth import get_user_model

        return get_user_model()
