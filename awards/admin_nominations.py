"""Admin for award types, rules, recipients, achievements and nominations."""
