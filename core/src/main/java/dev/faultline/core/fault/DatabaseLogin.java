package dev.faultline.core.fault;

/**
 * Who a fault logs in as: a database name, a user and a password, checked when made. One value
 * instead of three adjacent strings, so they cannot be swapped; its {@link #toString()} never shows
 * the password, nor does any message about it.
 *
 * @param database a PostgreSQL database name: non-blank, at most 63 characters
 * @param user a role name: non-blank, at most 63 characters
 * @param password may be empty (trust authentication), at most 1000 characters; never trimmed
 */
public record DatabaseLogin(String database, String user, String password) {

    /** PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1). */
    public static final int MAX_NAME = 63;
    public static final int MAX_PASSWORD = 1000;

    public DatabaseLogin {
        name("database", database);
        name("user", user);
        if (password == null) {
            throw new IllegalArgumentException("password must be a string of at most " + MAX_PASSWORD + " characters, got null");
        }
        if (password.length() > MAX_PASSWORD) {
            throw new IllegalArgumentException("password must be at most " + MAX_PASSWORD + " characters, got "
                    + password.length() + " characters");
        }
    }

    /** Logs in to {@code database} as {@code user} with {@code password}. */
    public static DatabaseLogin of(String database, String user, String password) {
        return new DatabaseLogin(database, user, password);
    }

    private static void name(String argument, String value) {
        Checks.text(argument, value);
        if (value.length() > MAX_NAME) {
            throw new IllegalArgumentException(argument + " must be at most " + MAX_NAME + " characters, got " + Checks.shown(value));
        }
    }

    @Override
    public String toString() {
        return "DatabaseLogin[database=" + database + ", user=" + user + ", password=***]";
    }
}
