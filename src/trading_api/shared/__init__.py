"""Infrastructure every module shares: module contract, loader, versioned app factory, errors."""
