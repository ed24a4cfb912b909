package dev.faultline.core.logs;

/** The program whose message a {@link LogPattern} recognises (not the Compose service: web runs Gunicorn and Django). */
public enum Component {
    NGINX("Nginx"), GUNICORN("Gunicorn"), DJANGO("Django/psycopg"), POSTGRES("PostgreSQL");

    private final String label;

    Component(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
