//! `docklab lab new ID`: a lab file to start from, every field commented in French and English,
//! one example of each common check. As written it lints clean and is solvable (tests).

/// The scaffold for the lab `id` (already validated: lowercase letters, digits, `-`).
pub fn scaffold(id: &str) -> String {
    TEMPLATE.replace("{ID}", id)
}

/// Whether `id` may name a lab.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

const TEMPLATE: &str = r#"# A docklab lab. Guide: labs/README.md. Check it: docklab lab lint FILE, docklab lab test FILE.
# Un atelier docklab. Guide : labs/README.md. À vérifier : docklab lab lint FICHIER, docklab lab test FICHIER.

# en: the lab format this file is written in (docklab reads version 1).
# fr : la version du format de ce fichier (docklab lit la version 1).
format_version = 1
# en: the lab's identifier, typed after `start`: lowercase letters, digits and '-'.
# fr : l'identifiant de l'atelier, tapé après `commencer` : minuscules, chiffres et '-'.
id = "{ID}"
# en: every text is given in French (fr) and English (en); both are required.
# fr : chaque texte est donné en français (fr) et en anglais (en) ; les deux sont obligatoires.
title = { fr = "Mon atelier", en = "My lab" }
# en: shown when the lab starts.
# fr : affiché au début de l'atelier.
intro.fr = """
Objectif : télécharger une image, lui donner un second nom, puis le retirer."""
intro.en = """
Goal: pull an image, give it a second name, then remove that name."""

# en: optional: the state every student starts from; images pulled from docklab's offline
#     catalog, in this order.
# fr : facultatif : l'état de départ de chaque élève ; images tirées du catalogue hors ligne de
#     docklab, dans cet ordre.
[start]
images = ["alpine"]

# en: the steps, in order. A step is checked after each command the student types.
# fr : les étapes, dans l'ordre. Une étape est vérifiée après chaque commande de l'élève.
[[step]]
# en: unique in the lab; used by progress files and reports.
# fr : unique dans l'atelier ; sert aux fichiers de progression et aux rapports.
id = "pull"
# en: short, for the progress table.   fr : court, pour le tableau de progression.
title = { fr = "Télécharger nginx", en = "Pull nginx" }
# en: what the student is asked to do.   fr : ce qu'on demande à l'élève.
text = { fr = "Téléchargez l'image du serveur web nginx.", en = "Pull the image of the nginx web server." }
# en: optional: given one at a time by `hint`, then the solution.
# fr : facultatif : donnés un par un par `indice`, puis la solution.
hints = [
  { fr = "docker pull suivi du nom de l'image", en = "docker pull followed by the image name" },
]
# en: the lines a student would type, Docker or shell commands; the answer to a question Docker
#     asks (y) follows the command that asks. `skip` runs them; `lab test` proves they work.
# fr : les lignes qu'un élève taperait, commandes Docker ou shell ; la réponse à une question de
#     Docker (y) suit la commande qui la pose. `passer` les exécute ; `lab test` prouve qu'elles marchent.
solution = ["docker pull nginx"]
# en: every check must hold for the step to be met; each is a table with one key, its kind.
# fr : toutes les vérifications doivent réussir ; chacune est une table à une clé, son type.
check = [
  { image_present = "nginx:latest" },
  { image_count = { at_least = 2 } },
]

# en: optional, any number: a mistake to recognise; `when` is any check, `explain` is shown once
#     per step when it holds after a command.
# fr : facultatif, autant qu'on veut : une erreur à reconnaître ; `when` est une vérification,
#     `explain` s'affiche une fois par étape quand elle réussit après une commande.
[[step.mistake]]
id = "wrong-tag"
when = { all = [{ image_present = "nginx:alpine" }, { image_absent = "nginx:latest" }] }
explain = { fr = "Vous avez téléchargé nginx:alpine ; l'étape demande nginx:latest, le tag par défaut.", en = "You pulled nginx:alpine; the step asks for nginx:latest, the default tag." }

# en: optional, any number: a command refused during this step (matched like command_ran).
# fr : facultatif, autant qu'on veut : une commande refusée pendant l'étape (comparée comme command_ran).
[[step.forbid]]
command = "docker rmi -f"
explain = { fr = "Pas de suppression forcée ici.", en = "No forced removal here." }

[[step]]
id = "tag"
title = { fr = "Un second nom", en = "A second name" }
text = { fr = "Donnez à nginx:latest le nom nginx:mine, puis listez les images.", en = "Give nginx:latest the name nginx:mine, then list the images." }
solution = ["docker tag nginx:latest nginx:mine", "docker image ls"]
check = [
  { same_image = ["nginx:latest", "nginx:mine"] },
  { command_ran = { command = "docker images" } },
]

[[step]]
id = "page"
title = { fr = "Une page web", en = "A web page" }
text = { fr = "Créez ~/site/index.html contenant <h1>Bonjour</h1>.", en = "Create ~/site/index.html containing <h1>Bonjour</h1>." }
solution = ["mkdir -p ~/site", "echo '<h1>Bonjour</h1>' > ~/site/index.html"]
check = [
  { file_exists = "site/index.html" },
  { file_contains = { path = "site/index.html", text = "<h1>Bonjour</h1>" } },
]

[[step]]
id = "untag"
title = { fr = "Retirer le second nom", en = "Remove the second name" }
text = { fr = "Supprimez nginx:mine. L'image reste-t-elle ?", en = "Remove nginx:mine. Does the image stay?" }
solution = ["docker rmi nginx:mine"]
check = [
  { image_absent = "nginx:mine" },
  { not = { image_absent = "nginx:latest" } },
  { any = [{ command_ran = { command = "docker rmi nginx:mine" } }, { command_ran = { command = "docker image rm nginx:mine" } }] },
]
"#;
