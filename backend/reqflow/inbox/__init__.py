"""One inbox for every decision a user can take, over the domains that hold them."""
