"""Messaging channels (Telegram, web chat, Messenger, Zalo OA) behind one protocol.

This package imports nothing else of Haumai: the bot depends on it, never the reverse.
"""
