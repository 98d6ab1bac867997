"""Requisitions: what engineers ask for, and its state machine."""
