"""Forms shared by the citizen's journey and the agents' admin.

They sit below both (the layers contract in ``pyproject.toml``): the journey and the
admin import them, never each other.
"""
