"""Demo upstream: a stdlib-only HTTP server that impersonates OpenRouter for tests and demos."""
