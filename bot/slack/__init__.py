"""Quote Builder Pro in Slack.

``app.create_app`` builds the Bolt app and asks each surface module to
register its listeners: ``messages`` (mentions and DMs), ``commands`` (slash
commands), ``quote_modal`` (the quote form's listeners), ``quote_cards`` (buttons on a
draft), ``home`` (the App Home tab). ``delivery`` is the one way replies
leave the bot, fitted to Block Kit's limits; ``fallback`` answers through a
``response_url`` (or a DM) where the bot is not a member of the conversation.
"""
