"""Data protection: erasing a pupil and everything about them, and the retention review list."""
