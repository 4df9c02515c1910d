// Column widths the inspector's table and `list`'s table share.

/**
 * The widest the id column grows: generated ids are 43 characters (32 random bytes in
 * base64url), and seeing them whole lets a user copy one for `delete` or `login --id`. Longer
 * ids are cut (the details and `list --json` show them whole).
 */
export const MAX_ID_WIDTH = 43;
