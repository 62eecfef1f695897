"""Staff workspace views: thin — access, validate, one service call, respond."""
