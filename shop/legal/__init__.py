"""The pages a buyer trusts: terms of sale, delivery, returns, privacy, cookies, security.txt."""
