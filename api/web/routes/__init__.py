"""Web page routes."""
