"""Fair use (issue 22): each client's budget of query cost per window, kept in the database."""
