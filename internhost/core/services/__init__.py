"""Use cases: session and acting user first, plain values in, DTOs out."""
