-- Staff appointed by an admin get a first password the admin chose: until they choose their
-- own, they can reach only their account page (to change it) and sign out.
ALTER TABLE users ADD COLUMN password_chosen_by_admin boolean NOT NULL DEFAULT false;
