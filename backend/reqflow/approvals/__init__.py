"""Approval policies, chains of steps (the inbox) and delegation — generic over documents."""
