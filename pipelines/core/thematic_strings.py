"""The strings of the thematic reports, French and English: women's quota, DDR, the roadmap's
figures, poverty and WASH, and the maps they draw.

The other half of `pipelines.core.i18n.STRINGS` (see `pipelines.core.strings`).
"""

THEMATIC_STRINGS: dict[str, dict[str, str]] = {
    # --- women quota and DDR (thematic) ---
    # Shared by both reports (pipelines.analysis.women, pipelines.analysis.ddr)
    "wq_ddr.outcome.deadline_passed": {"fr": "sans objet : l'échéance est passée", "en": "none: the deadline has passed"},
    "wq_ddr.outcome.pace_window_short": {"fr": "aucune : trop peu de recul depuis la référence pour prolonger un "
                                                "rythme", "en": "none: too short a span since the baseline to "
                                                "prolong a pace"},
    "wq_ddr.outcome.reached": {"fr": "déjà atteint", "en": "already reached"},
    "wq_ddr.outcome.never": {"fr": "jamais à ce rythme", "en": "never at this pace"},
    "wq_ddr.outcome.beyond": {"fr": "pas avant {year} à ce rythme ({pace})",
                              "en": "not before {year} at this pace ({pace})"},
    "wq_ddr.outcome.insufficient_data": {"fr": "données insuffisantes (un seul chiffre daté)",
                                         "en": "insufficient data (a single dated figure)"},
    "wq_ddr.outcome.zero_base": {"fr": "non défini (base nulle)", "en": "undefined (zero base)"},
    "wq_ddr.pace.points": {"fr": "{value} point(s) par an", "en": "{value} points a year"},
    "wq_ddr.pace.rate": {"fr": "{value} par an", "en": "{value} a year"},
    "wq_ddr.pace.units": {"fr": "{value} {unit} par an", "en": "{value} {unit} a year"},
    "wq_ddr.agree": {"fr": "les sources concordent", "en": "sources agree"},
    "wq_ddr.disagree": {"fr": "les sources divergent", "en": "sources disagree"},
    "wq_ddr.col.agreement": {"fr": "accord", "en": "agreement"},
    "wq_ddr.col.figure": {"fr": "chiffre", "en": "figure"},
    "wq_ddr.col.period": {"fr": "période", "en": "period"},
    "wq_ddr.conflicts_note": {
        "fr": "Chiffres publiés par plusieurs sources pour le même indicateur à la même période (ou à des dates "
              "de moins d'un mois qui se chevauchent). Aucun n'est écarté ; la série évaluée garde une valeur par "
              "date : une source primaire d'abord, puis la source qui publie le plus de chiffres, puis l'identifiant.",
        "en": "Figures published by several sources for the same indicator and period (or for overlapping dates "
              "less than a month long). None is discarded; the series assessed keeps one value per date: a "
              "primary source first, then the source with most figures, then the identifier."},
    "wq_ddr.conflicts_none": {"fr": "Aucune période n'est couverte par plusieurs sources à cette date.",
                              "en": "No period is covered by several sources at this date."},
    "wq_ddr.no_figure": {"fr": "Aucun chiffre publié n'a été trouvé pour « {name} » à cette date : il reste "
                               "absent.",
                         "en": "No published figure was found for \u201c{name}\u201d at this date: it stays missing."},
    # Women's representation (notebooks/women_quota.ipynb)
    "wq.title": {"fr": "Représentation des femmes et quota de la loi 2015-052",
                 "en": "Women's representation and the quota of law 2015-052"},
    "wq.intro": {
        "fr": "Part des femmes dans chaque instance au {date}, comparée au quota minimum de {quota} de la loi "
              "n° 2015-052, que la feuille de route S/2021/300 rappelle (§ 3 et § 17 d)). Chaque chiffre vient "
              "d'une source citée ; les écarts et les années projetées sont des calculs sur ces chiffres.",
        "en": "Women's share in each body on {date}, against the minimum quota of {quota} of law 2015-052, which "
              "the roadmap S/2021/300 recalls (paras. 3 and 17 (d)). Every figure comes from a cited source; the "
              "gaps and the projected years are arithmetic on those figures."},
    "wq.body.parliament": {"fr": "Parlement (Assemblée nationale, puis CNT)",
                           "en": "Parliament (National Assembly, then CNT)"},
    "wq.body.cabinet": {"fr": "Gouvernement", "en": "Cabinet"},
    "wq.body.csa": {"fr": "Comité de suivi de l'Accord (CSA)", "en": "Agreement Monitoring Committee (CSA)"},
    "wq.body.constitution_commission": {"fr": "Commission de finalisation du projet de constitution",
                                        "en": "Commission finalising the draft constitution"},
    "wq.body.candidates": {"fr": "Candidats aux législatives", "en": "Candidates in legislative elections"},
    "wq.quota_value": {"fr": "quota {value} (loi 2015-052)", "en": "quota {value} (law 2015-052)"},
    "wq.no_target": {"fr": "aucune (quota de la loi pris pour repère)", "en": "none (the law's quota as reference)"},
    "wq.no_target_note": {
        "fr": "La feuille de route ne fixe pas de cible pour cette instance : le graphique ne trace pas de cible ; "
              "les tableaux la comparent au quota de la loi, pris pour repère.",
        "en": "The roadmap sets no target for this body: the chart draws none; the tables compare it with the "
              "law's quota, taken as a reference."},
    "wq.counts_from": {"fr": "effectifs :", "en": "counts:"},
    "wq.by_deadline": {"fr": "{share} (dernier chiffre à l'échéance ; ensuite : {later})",
                       "en": "{share} (the last figure by the deadline; since: {later})"},
    "wq.reached": {"fr": "quota atteint", "en": "quota reached"},
    "wq.points": {"fr": "{value} points", "en": "{value} points"},
    "wq.seats_needed": {"fr": "{needed} sur {seats} ({exact} avant arrondi)",
                        "en": "{needed} of {seats} ({exact} before rounding)"},
    "wq.women_to_add": {"fr": "{count} de plus ({shortfall} avant arrondi)",
                        "en": "{count} more ({shortfall} before rounding)"},
    "wq.window.baseline": {"fr": "depuis la référence : {start} → {latest}",
                           "en": "since the baseline: {start} → {latest}"},
    "wq.window.series": {"fr": "toute la série : {start} → {latest}", "en": "whole series: {start} → {latest}"},
    "wq.window.baseline_is_latest": {"fr": "depuis la référence, qui est le dernier chiffre : {start}",
                                     "en": "since the baseline, which is the latest figure: {start}"},
    "wq.window.single": {"fr": "un seul chiffre : {start}", "en": "a single figure: {start}"},
    "wq.col.body": {"fr": "instance", "en": "body"},
    "wq.col.share": {"fr": "part des femmes (femmes/sièges), date", "en": "women's share (women/seats), date"},
    "wq.col.roadmap_target": {"fr": "cible de la feuille de route", "en": "roadmap target"},
    "wq.col.gap_points": {"fr": "écart au quota", "en": "gap to the quota"},
    "wq.col.seats_needed": {"fr": "sièges de femmes requis", "en": "women's seats needed"},
    "wq.col.women_to_add": {"fr": "femmes manquantes", "en": "women missing"},
    "wq.col.window": {"fr": "rythme mesuré", "en": "pace measured"},
    "wq.col.linear": {"fr": "rythme linéaire", "en": "linear pace"},
    "wq.col.compound": {"fr": "rythme composé", "en": "compound pace"},
    "wq.axis.share": {"fr": "part des femmes (%)", "en": "women's share (%)"},
    "wq.gap_note": {
        "fr": "Dernier chiffre de la série évaluée de chaque instance. Calculs : écart = {quota} − part observée ; "
              "sièges requis = {quota} des sièges, arrondi au siège supérieur ; femmes manquantes = sièges requis "
              "− femmes, à effectif constant. Le nombre de sièges n'est utilisé que là où une source écrit le "
              "chiffre « femmes/sièges » ; ailleurs l'écart en sièges est non disponible, jamais estimé.",
        "en": "Latest figure of each body's series assessed. Arithmetic: gap = {quota} − observed share; seats "
              "needed = {quota} of the seats, rounded up to a whole seat; women missing = seats needed − women, "
              "at the body's size. Seat counts are used only where a source writes the figure as "
              "\u201cwomen/seats\u201d; elsewhere the seat gap is not available, never estimated."},
    "wq.projection_note": {
        "fr": "Calcul, pas une prévision : le rythme entre deux chiffres de la série évaluée (le chiffre connu à "
              "la date de la feuille de route, ou le premier, et le dernier) est prolongé jusqu'au quota de "
              "{quota}. Linéaire : le même nombre de points chaque année ; composé : le même taux de croissance "
              "chaque année. Un rythme nul ou négatif n'atteint jamais le quota.",
        "en": "Arithmetic, not a forecast: the pace between two figures of the series assessed (the figure known "
              "on the roadmap's date, or the first one, and the latest) is prolonged until the quota of {quota}. "
              "Linear: the same number of points every year; compound: the same growth rate every year. A flat "
              "or falling pace never reaches the quota."},
    # DDR (notebooks/ddr.ipynb)
    "ddr.title": {"fr": "Intégration des ex-combattants aux forces de défense et de sécurité maliennes",
                  "en": "Integration of ex-combatants into the Malian defence and security forces"},
    "ddr.intro": {
        "fr": "Où en est, au {date}, l'intégration des membres des groupes armés signataires par rapport à la "
              "cible de {target} de la feuille de route ? Contingents et cumul cités, étapes du processus, "
              "engagement du Gouvernement et rythme observé.",
        "en": "Where does the integration of members of the signatory armed groups stand on {date} against the "
              "roadmap's target of {target}? Cohorts and running total as cited, the stages of the process, the "
              "Government's commitment and the observed pace."},
    "ddr.target": {"fr": "cible de la feuille de route", "en": "roadmap target"},
    "ddr.share_of_target": {"fr": "part de la cible atteinte", "en": "share of the target reached"},
    "ddr.published_total": {"fr": "dernier cumul publié", "en": "latest published running total"},
    "ddr.counted": {"fr": "intégrés depuis le {since} (comptent pour la cible)",
                    "en": "integrated since {since} (counted towards the target)"},
    "ddr.remaining": {"fr": "reste à intégrer", "en": "still to integrate"},
    "ddr.arithmetic": {"fr": "calcul : {formula}", "en": "arithmetic: {formula}"},
    "ddr.pace_formula": {"fr": "de {start} à {latest}, soit {pace}", "en": "from {start} to {latest}, i.e. {pace}"},
    "ddr.projected": {"fr": "{target} atteint au rythme linéaire observé",
                      "en": "{target} reached at the observed linear pace"},
    "ddr.commitment": {"fr": "engagement d'intégration (pas la cible de la feuille de route)",
                       "en": "integration commitment (not the roadmap's target)"},
    "ddr.commitment_label": {"fr": "engagement : {value} à intégrer ({date})",
                             "en": "commitment: {value} to integrate ({date})"},
    "ddr.commitment_note": {
        "fr": "Un engagement est un nombre à intégrer, pas une réalisation (sa note dit dans quels services et "
              "pour quels groupes) : le graphique le marque à sa date, sans changer l'échelle.",
        "en": "A commitment is a number to integrate, not an achievement (its note says into which services "
              "and for which groups): the chart marks it at its date, without changing the scale."},
    "ddr.chart_note": {
        "fr": "Ligne : ce que la règle du § 10 compte, à partir de zéro le jour où le décompte commence ; "
              "pointillés : le rythme observé prolongé jusqu'à la cible (calcul, pas une prévision), là où le statut "
              "juge un rythme ; losange : la cible à son échéance.",
        "en": "Line: what the rule of para. 10 counts, from zero on the day counting starts; dotted: the observed "
              "pace prolonged to the target (arithmetic, not a forecast), where the status judges a pace; diamond: "
              "the target at its deadline."},
    "ddr.published_note": {
        "fr": "Les chiffres tels que publiés : chaque contingent cité (barres) et les cumuls publiés (ligne). Ils "
              "comprennent les intégrations du DDR accéléré, que la règle ne compte pas : ils ne se lisent pas "
              "face aux 2 000.",
        "en": "The figures as published: each cohort cited (bars) and the published running totals (line). They "
              "include the accelerated DDR's integrations, which the rule does not count: they are not read "
              "against the 2,000."},
    "ddr.series.cohort": {"fr": "contingent (publié)", "en": "cohort (published)"},
    "ddr.series.cumulative": {"fr": "cumul publié", "en": "published running total"},
    "ddr.series.counted": {"fr": "compté pour la cible (règle du § 10)", "en": "counted towards the target (para. 10 rule)"},
    "ddr.series.projection": {"fr": "rythme observé prolongé (calcul)", "en": "observed pace prolonged (arithmetic)"},
    "ddr.counting_starts": {"fr": "le décompte commence : 0 (le cumul publié était de {total})",
                            "en": "counting starts: 0 (the published running total stood at {total})"},
    "ddr.target_label": {"fr": "cible : {value} au {date}", "en": "target: {value} by {date}"},
    "ddr.published_title": {"fr": "Tels que publiés : contingents et cumuls (hors règle)",
                            "en": "As published: cohorts and running totals (not what the rule counts)"},
    "ddr.published_shows": {"fr": "chaque contingent cité et les cumuls publiés, sans la cible, que la règle "
                                  "ne mesure pas sur eux",
                            "en": "each cohort cited and the published running totals, without the target, which "
                                  "the rule does not measure on them"},
    "ddr.col.series": {"fr": "série", "en": "series"},
    "ddr.col.stage": {"fr": "étape", "en": "stage"},
    "ddr.col.latest": {"fr": "dernier chiffre", "en": "latest figure"},
    "ddr.col.every_figure": {"fr": "tous les chiffres cités", "en": "every figure cited"},
    "ddr.col.origin": {"fr": "source ou calcul", "en": "source or arithmetic"},
    "ddr.check_ok": {"fr": "Chaque cumul publié est la somme des contingents cités jusqu'à sa date ({dates}).",
                     "en": "Each published running total is the sum of the cohorts cited up to its date ({dates})."},
    "ddr.check_mismatch": {
        "fr": "Au {date}, le cumul publié ({published}) diffère de la somme des {count} contingents cités "
              "({cohorts}).",
        "en": "On {date}, the published running total ({published}) differs from the sum of the {count} cohorts "
              "cited ({cohorts})."},
    "ddr.check_none": {"fr": "Aucun cumul publié à cette date.", "en": "No running total published at this date."},
    "ddr.funnel_note": {
        "fr": "Dernier chiffre connu de chaque étape à la date du rapport. Les étapes viennent de dates et de "
              "sources différentes et ne se déduisent pas l'une de l'autre ; une étape sans chiffre cité reste "
              "vide, jamais estimée.",
        "en": "Latest figure known for each stage at the report's date. The stages come from different dates and "
              "sources and are not derived from one another; a stage without a cited figure stays empty, never "
              "estimated."},
    "ddr.stage.registered": {"fr": "enregistrés (CN-DDR)", "en": "registered (CN-DDR)"},
    "ddr.stage.listed": {"fr": "inscrits sur les listes DDR", "en": "on the DDR lists"},
    "ddr.stage.integration_list": {"fr": "sur la liste d'intégration (DDR accéléré)",
                                   "en": "on the integration list (accelerated DDR)"},
    "ddr.stage.trained": {"fr": "formés", "en": "trained"},
    "ddr.stage.integrated": {"fr": "intégrés (cumul)", "en": "integrated (running total)"},
    "ddr.stage_missing": {"fr": "aucun chiffre cité", "en": "no figure cited"},
    # --- poverty, WASH, roadmap figures, maps (thematic) ---
    # Maps (pipelines.present.maps)
    "map.caption": {"fr": "Dernier chiffre par région, situation au {date} ; limites : {geography}.",
                    "en": "Latest figure per region as of {date}; boundaries: {geography}."},
    "map.caption_latest": {"fr": "Dernier chiffre connu par région ; limites : {geography}.",
                           "en": "Latest figure known per region; boundaries: {geography}."},
    "map.dates_differ": {"fr": "Les dates des chiffres diffèrent d'une région à l'autre (voir le tableau).",
                         "en": "The figures' dates differ from region to region (see the table)."},
    "map.not_drawn": {"fr": "{region} ({code}) : {value} ({date}), non représentée : sur cette carte, elle fait "
                            "partie de {container} ({container_code}).",
                      "en": "{region} ({code}): {value} ({date}), not drawn: on this map it lies within {container} "
                            "({container_code})."},
    "map.not_drawn_nowhere": {"fr": "{region} ({code}) : {value} ({date}), non représentée : aucune unité de cette "
                                    "carte ne la contient.",
                              "en": "{region} ({code}): {value} ({date}), not drawn: no unit of this map holds it."},
    "map.no_figure": {"fr": "aucun chiffre", "en": "no figure"},
    # The roadmap's figures against the data (pipelines.analysis.claims)
    "claims.match": {"fr": "{value} ({period}, {source} ; écart {gap})", "en": "{value} ({period}, {source}; gap {gap})"},
    "claims.counted_value": {"fr": "{value} comptés par la règle", "en": "{value} counted by the rule"},
    "claims.match_counted": {"fr": "{value} comptés par la règle ({period}, {source} ; écart {gap})",
                             "en": "{value} counted by the rule ({period}, {source}; gap {gap})"},
    "claims.points": {"fr": "pt", "en": "pt"},
    "claims.kind.figure": {"fr": "constat", "en": "statement of fact"},
    "claims.kind.target": {"fr": "cible ou quota", "en": "target or quota"},
    "claims.verdict.figure.reproduced": {"fr": "reproduit", "en": "reproduced"},
    "claims.verdict.figure.reproduced_older": {"fr": "reproduit par un chiffre plus ancien seulement",
                                               "en": "reproduced by an older figure only"},
    "claims.verdict.figure.not_reproduced": {"fr": "non reproduit", "en": "not reproduced"},
    "claims.verdict.figure.no_data_before": {"fr": "pas encore mesuré à la date de la feuille de route",
                                             "en": "not yet measured on the roadmap's date"},
    "claims.verdict.figure.no_data": {"fr": "aucune donnée", "en": "no data"},
    "claims.verdict.target.reproduced": {"fr": "atteint à la date de la feuille de route",
                                         "en": "met on the roadmap's date"},
    "claims.verdict.target.reproduced_older": {"fr": "atteint par un chiffre plus ancien seulement",
                                               "en": "met by an older figure only"},
    "claims.verdict.target.not_reproduced": {"fr": "non atteint à la date de la feuille de route",
                                             "en": "not met on the roadmap's date"},
    "claims.verdict.target.no_data_before": {"fr": "pas encore mesuré à la date de la feuille de route",
                                             "en": "not yet measured on the roadmap's date"},
    "claims.verdict.target.no_data": {"fr": "aucune donnée", "en": "no data"},
    "claims.role.newest": {"fr": "plus récent au {date}", "en": "newest on {date}"},
    "claims.role.best_before": {"fr": "meilleur jusqu'au {date}", "en": "best match up to {date}"},
    "claims.role.best_any": {"fr": "meilleur, toutes dates", "en": "best match, any date"},
    "claims.fits": {"fr": "conforme", "en": "fits"},
    "claims.does_not_fit": {"fr": "non conforme", "en": "does not fit"},
    "claims.axis_ratio": {"fr": "chiffre publié ÷ chiffre de la feuille de route (calcul ; 1 = égal)",
                          "en": "published figure ÷ roadmap figure (arithmetic; 1 = equal)"},
    "claims.claim": {"fr": "chiffre de la feuille de route", "en": "roadmap figure"},
    "claims.figure_role": {"fr": "chiffre comparé", "en": "figure compared"},
    "claims.gap": {"fr": "écart (calcul)", "en": "gap (arithmetic)"},
    "claims.ratio": {"fr": "rapport (calcul)", "en": "ratio (arithmetic)"},
    "claims.fit": {"fr": "conformité", "en": "fit"},
    "claims.verdict": {"fr": "verdict", "en": "verdict"},
    "claims.chart_shows": {"fr": "pour chaque chiffre de la feuille de route, le chiffre publié rapporté à "
                                 "celui-ci (1 = le chiffre de la feuille de route)",
                           "en": "for each of the roadmap's figures, the published figure divided by it "
                                 "(1 = the roadmap's figure)"},
    "ddr.integration_shows": {"fr": "les intégrations que compte la règle du § 10, face à la cible de {target} "
                                    "et à son échéance",
                              "en": "the integrations the rule of para. 10 counts, against the {target} target and "
                                    "its deadline"},
    "ddr.funnel_shows": {"fr": "le dernier chiffre de chaque étape, de la plus large à la plus étroite",
                         "en": "each stage's latest figure, widest stage first"},
    "wq.chart_shows": {"fr": "la dernière part des femmes dans chaque instance face au quota",
                       "en": "each body's latest share of women against the quota"},
    "claims.chart_title": {"fr": "Chiffres de la feuille de route et chiffres publiés les plus proches",
                           "en": "The roadmap's figures and the closest published figures"},
    # Report: the roadmap's figures (notebooks/roadmap_figures.ipynb)
    "rf.title": {"fr": "Les chiffres de la feuille de route S/2021/300 face aux données",
                 "en": "The figures of roadmap S/2021/300 against the data"},
    "rf.intro": {
        "fr": "Chaque chiffre que la feuille de route du {roadmap_date} cite ou fixe est comparé aux séries publiées "
              "connues au {date} : est-il reproduit, par quelle année et quelle édition (source) de quelle série, "
              "et avec quel écart ?",
        "en": "Every figure the roadmap of {roadmap_date} quotes or sets is compared with the published series "
              "known on {date}: is it reproduced, by which year and which release (source) of which series, and "
              "how far off?"},
    "rf.rule.qualifier": {
        "fr": "« = » : le chiffre publié, arrondi à la précision écrite par la feuille de route, est égal (78 % "
              "couvre 77,5 à 78,5 %) ; « > » : strictement supérieur ; « ≥ » : au moins ; « ≈ » (« quelque ») : "
              "à ±{tolerance} près.",
        "en": "'=': the published figure, rounded to the precision the roadmap wrote, is equal (78% covers 77.5 "
              "to 78.5%); '>': strictly above; '≥': at least; '≈' ('some'): within ±{tolerance}."},
    "rf.rule.target": {
        "fr": "Une cible ou un quota (le chiffre de la feuille de route est aussi la cible de l'indicateur) est "
              "atteint quand un chiffre le passe dans le sens du progrès.",
        "en": "A target or quota (the roadmap's figure is also the indicator's target) is met when a figure "
              "passes it in the direction of progress."},
    "rf.rule.dates": {
        "fr": "Chiffres nationaux seulement. Un chiffre compte à la fin de sa période : un chiffre annuel de 2020 "
              "est connu à la date de la feuille de route ({roadmap_date}), un chiffre de 2021 ne l'est pas.",
        "en": "National figures only. A figure counts from the end of its period: a yearly figure for 2020 is "
              "known on the roadmap's date ({roadmap_date}), one for 2021 is not."},
    "rf.rule.verdict": {
        "fr": "Verdict : reproduit si le chiffre le plus récent à cette date est conforme ; « par un chiffre plus "
              "ancien seulement » si seul le dernier chiffre d'une autre édition (source) l'est. Une année ancienne "
              "d'une série (par exemple 2011) peut être la meilleure correspondance sans reproduire un constat "
              "sur le présent.",
        "en": "Verdict: reproduced when the newest figure on that date fits; 'by an older figure only' when only "
              "another release's (source's) own latest figure fits. An old year of a series (e.g. 2011) can be "
              "the best match without reproducing a statement about the present."},
    "rf.rule.best": {
        "fr": "Meilleure correspondance : le chiffre conforme le plus proche, sinon le plus proche ; à égalité, le "
              "plus récent. Écart = chiffre publié − chiffre de la feuille de route, en points de pourcentage pour "
              "les parts ; rapport = chiffre publié ÷ chiffre de la feuille de route (calculs).",
        "en": "Best match: the closest figure that fits, else the closest; on a tie, the newest. Gap = published "
              "figure − roadmap figure, in percentage points for shares; ratio = published figure ÷ roadmap "
              "figure (arithmetic)."},
    "rf.rule.missing": {"fr": "« Aucune donnée » : aucune série publiée n'a été trouvée ; rien n'est estimé.",
                        "en": "'No data': no published series was found; nothing is estimated."},
    "rf.summary.figure": {"fr": "Constats ({count}) : {detail}.", "en": "Statements of fact ({count}): {detail}."},
    "rf.summary.target": {"fr": "Cibles et quotas ({count}) : {detail}.", "en": "Targets and quotas ({count}): {detail}."},
    "rf.quote": {"fr": "« {quote} »", "en": "\u201c{quote}\u201d (French text)"},
    "rf.col.claim": {"fr": "chiffre de la feuille de route", "en": "roadmap figure"},
    "rf.col.newest": {"fr": "chiffre le plus récent au {date}", "en": "newest figure on {date}"},
    "rf.col.best_before": {"fr": "meilleure correspondance jusqu'au {date}", "en": "best match up to {date}"},
    "rf.col.best_any": {"fr": "meilleure correspondance, toutes dates jusqu'au {date}",
                        "en": "best match, any date up to {date}"},
    "rf.chart_note": {
        "fr": "Chaque point rapporte un chiffre publié au chiffre de la feuille de route (1 = égal ; calcul). "
              "Forme : quel chiffre ; couleur : conforme ou non à la formulation de la feuille de route.",
        "en": "Each point is a published figure divided by the roadmap's figure (1 = equal; arithmetic). Shape: "
              "which figure; colour: whether it fits the roadmap's wording."},
    "rf.related_heading": {"fr": "Mesures voisines", "en": "Related measures"},
    "rf.related_note": {
        "fr": "Séries voisines (autre champ, mesure plus stricte, ou complément 100 − x calculé ici), montrées pour "
              "éclairer un chiffre : meilleure correspondance de chaque source jusqu'à la date de la feuille de "
              "route. Elles ne décident pas du verdict.",
        "en": "Nearby series (another scope, a stricter measure, or a complement 100 − x computed here), shown to "
              "explain a figure: each source's best match up to the roadmap's date. They do not decide the "
              "verdict."},
    "rf.col.related": {"fr": "série voisine", "en": "related series"},
    "rf.gap": {"fr": "écart", "en": "gap"},
    "rf.complement": {"fr": "100 − {name} (calcul)", "en": "100 − {name} (arithmetic)"},
    # Report: poverty, water and sanitation (notebooks/poverty_wash.ipynb)
    "pw.title": {"fr": "Pauvreté, eau et assainissement au Mali", "en": "Poverty, water and sanitation in Mali"},
    "pw.intro": {
        "fr": "Pauvreté multidimensionnelle (nationale, rurale, urbaine), extrême pauvreté et pauvreté au seuil "
              "national ; accès à l'eau potable et à l'assainissement de base (OMS/UNICEF, JMP) ; part de la "
              "population rurale : les thèmes des § 44 et 45 de la feuille de route, tels que chaque source les "
              "publie, situation au {date}.",
        "en": "Multidimensional poverty (national, rural, urban), extreme poverty and poverty at the national "
              "line; basic drinking water and sanitation (WHO/UNICEF JMP); the rural share of the population: the "
              "subjects of paras. 44 and 45 of the roadmap, as each source publishes them, as of {date}."},
    "pw.vintages": {
        "fr": "Deux éditions d'une même série (par exemple JMP 2021 et JMP 2025) sont deux sources : leurs chiffres "
              "diffèrent pour les mêmes années et sont tracés séparément, jamais raccordés. Les chiffres cités par "
              "la feuille de route sont confrontés aux données dans le rapport « {other} ».",
        "en": "Two releases of one series (e.g. JMP 2021 and JMP 2025) are two sources: their figures differ for "
              "the same years and are drawn apart, never joined. The figures the roadmap quotes are checked "
              "against the data in the report \u201c{other}\u201d."},
    "pw.scope": {"fr": "Indicateurs : {set} ; champ : {scope}.", "en": "Indicators: {set}; scope: {scope}."},
    "pw.scope_national": {"fr": "Mali, ensemble du pays", "en": "Mali, whole country"},
    "pw.set.all": {"fr": "tous", "en": "all"},
    "pw.set.poverty": {"fr": "pauvreté", "en": "poverty"},
    "pw.set.wash": {"fr": "eau et assainissement", "en": "water and sanitation"},
    "pw.set.rural": {"fr": "milieu rural", "en": "rural areas"},
    "pw.group.poverty_multidimensional": {"fr": "Pauvreté multidimensionnelle", "en": "Multidimensional poverty"},
    "pw.group.poverty_monetary": {"fr": "Pauvreté monétaire", "en": "Monetary poverty"},
    "pw.group.water": {"fr": "Eau potable", "en": "Drinking water"},
    "pw.group.sanitation": {"fr": "Assainissement", "en": "Sanitation"},
    "pw.group.population": {"fr": "Population et milieu rural", "en": "Population and rural share"},
    "pw.latest_note": {
        "fr": "Une ligne par indicateur et par source (édition) : le dernier chiffre publié jusqu'au {date} et "
              "l'étendue de la série. Aucun chiffre n'est calculé ici.",
        "en": "One row per indicator and source (release): the latest figure published up to {date} and the "
              "span of the series. No figure is computed here."},
    "pw.col.series": {"fr": "étendue de la série", "en": "series span"},
    "pw.span": {"fr": "{first}–{last} ({count} chiffres)", "en": "{first}–{last} ({count} figures)"},
    "pw.span_one": {"fr": "{first} (1 chiffre)", "en": "{first} (1 figure)"},
    "pw.chart_sources": {"fr": "Source(s) : {sources} (voir le tableau des sources)",
                         "en": "Source(s): {sources} (see the sources table)"},
    "pw.no_data_scope": {"fr": "Aucun chiffre pour {scope} parmi les indicateurs choisis : rien n'est tracé, rien "
                               "n'est estimé.",
                         "en": "No figure for {scope} among the selected indicators: nothing is drawn, nothing is "
                               "estimated."},
    "pw.no_regional": {"fr": "Aucun des indicateurs choisis n'est publié par région dans les données : pas de carte.",
                       "en": "None of the selected indicators is published by region in the data: no map."},
    "pw.no_boundaries": {
        "fr": "Aucun fichier de limites n'est configuré (data/raw/boundaries.yaml) : chiffres par région en "
              "tableau, sans carte.",
        "en": "No boundary file is configured (data/raw/boundaries.yaml): regional figures as a table, without "
              "a map."},
}
