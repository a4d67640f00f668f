# ideal_peers.R: the R peers of orderlab's ideal-point estimator, run on the
# UN General Assembly roll calls for bench/bench_ideal.c.
#
#   Rscript ideal_peers.R --votes un_votes.csv --rollcalls un_roll_calls.csv
#           --out DIR [--bsv IdealpointestimatesAll_Jun2024.csv]
#           [--peers pscl,mcmcpack] [--maxiter 2000] [--burnin 1000]
#           [--thin 10] [--mcmc 2000] [--mcmc-burnin 1000] [--seed 1]
#
# The matrix is the one the peers expect (docs/ideal-bench.md): one row per
# country *name* of un_votes.csv, one column per roll call; yes = 1, no = 0,
# abstain and absent NA; only roll calls with both a yes and a no are kept.
# On the staged data that is 199 x 4,857 with 589,334 observed votes.
#
# For each estimator it writes DIR/<peer>.csv with the columns
#   country   the name in un_votes.csv (one row of the matrix)
#   iso2      its country_code there; empty for the three names without one
#             (Federal Republic of Germany, Yemen Arab Republic, Zanzibar)
#   sessions  the sessions in which the row has votes in the matrix, as
#             ranges "1-28;49-74"
#   votes     its observed votes in the matrix
#   value     the posterior mean of its ideal point, USA positive
# Names are not mapped to codes here: bench_ideal maps iso2 (or, when empty,
# the name) through orderlab's crosswalk with each session's year, the way
# the votes importer does, so that YU is YUG to 2005 and SRB from 2006.
#
# And one line per estimator on stdout and in DIR/results.txt (so that a run
# can be read back later: bench_ideal --peers-from DIR), fields separated by
# spaces:
#   matrix countries=199 rollcalls=4857 votes=589334 seconds=...
#   peer=pscl iterations=2000 burnin=1000 thin=10 seconds=73.6 cpu_seconds=73.1 [pooled_r=...]
# seconds is the wall time of the estimator call alone (pscl::ideal,
# MCMCpack::MCMCirt1d), cpu_seconds its CPU time (user + system): reading the
# files and building the matrix and the rollcall object are not in them.
# iterations counts pscl's burn-in (its maxiter) but not MCMCirt1d's (its mcmc).  pooled_r (with --bsv) is a check computed
# here by name matching: Pearson r of value against the mean of the BSV
# IdealPointAll points over the row's sessions.  The authoritative figure is
# bench_ideal's, which matches through the crosswalk.

suppressPackageStartupMessages({
  library(pscl)
  library(MCMCpack)
})

opt <- list(votes = NULL, rollcalls = NULL, out = NULL, bsv = NULL,
            peers = "pscl,mcmcpack", maxiter = "2000", burnin = "1000",
            thin = "10", mcmc = "2000", "mcmc-burnin" = "1000", seed = "1")
args <- commandArgs(trailingOnly = TRUE)
i <- 1
while (i <= length(args)) {
  key <- sub("^--", "", args[i])
  if (!grepl("^--", args[i]) || !(key %in% names(opt)) || i == length(args))
    stop("usage: ideal_peers.R --votes F --rollcalls F --out DIR [--bsv F] ",
         "[--peers pscl,mcmcpack] [--maxiter N] [--burnin N] [--thin N] ",
         "[--mcmc N] [--mcmc-burnin N] [--seed N]; bad argument '", args[i], "'")
  opt[[key]] <- args[i + 1]
  i <- i + 2
}
for (k in c("votes", "rollcalls", "out"))
  if (is.null(opt[[k]])) stop("ideal_peers.R: --", k, " is required")
num <- function(k) {
  x <- suppressWarnings(as.integer(opt[[k]]))
  if (is.na(x) || x < 0) stop("ideal_peers.R: --", k, " must be a whole number")
  x
}
maxiter <- num("maxiter"); burnin <- num("burnin"); thin <- num("thin")
mcmc <- num("mcmc"); mcmc_burnin <- num("mcmc-burnin"); seed <- num("seed")
peers <- strsplit(opt$peers, ",")[[1]]
if (!all(peers %in% c("pscl", "mcmcpack"))) stop("ideal_peers.R: --peers takes pscl and/or mcmcpack")
if (burnin >= maxiter || thin < 1 || (maxiter - burnin) %% thin != 0)
  stop("ideal_peers.R: pscl needs burnin < maxiter and thin dividing maxiter - burnin")
dir.create(opt$out, showWarnings = FALSE, recursive = TRUE)
results <- file.path(opt$out, "results.txt")
cat("", file = results)
emit <- function(line) {
  cat(line, "\n", sep = "")
  cat(line, "\n", sep = "", file = results, append = TRUE)
}

ANCHOR <- "United States"   # polarity: this row positive

# ------------------------------------------------------------ the matrix
t0 <- proc.time()[["elapsed"]]
# na.strings = "": "NA" is Namibia's code, not a missing value.
v <- read.csv(opt$votes, stringsAsFactors = FALSE, na.strings = "",
              colClasses = c("integer", "character", "character", "character"))
rc <- read.csv(opt$rollcalls, stringsAsFactors = FALSE, na.strings = "")[, c("rcid", "session")]
y <- ifelse(v$vote == "yes", 1L, ifelse(v$vote == "no", 0L, NA_integer_))
v <- v[!is.na(y), ]
y <- y[!is.na(y)]
split <- tapply(y, v$rcid, function(z) any(z == 1L) && any(z == 0L))
keep <- v$rcid %in% as.integer(names(split)[split])
v <- v[keep, ]
y <- y[keep]
names_ <- sort(unique(v$country))
rcids <- sort(unique(v$rcid))
m <- matrix(NA_integer_, length(names_), length(rcids), dimnames = list(names_, as.character(rcids)))
m[cbind(match(v$country, names_), match(v$rcid, rcids))] <- y
t_matrix <- proc.time()[["elapsed"]] - t0
emit(sprintf("matrix countries=%d rollcalls=%d votes=%d seconds=%.2f",
            nrow(m), ncol(m), sum(!is.na(m)), t_matrix))
if (!(ANCHOR %in% names_)) stop("ideal_peers.R: the anchor '", ANCHOR, "' has no votes")

# What each row is: code, sessions, votes.
v$session <- rc$session[match(v$rcid, rc$rcid)]
if (anyNA(v$session)) stop("ideal_peers.R: votes for roll calls not in ", opt$rollcalls)
iso2 <- tapply(v$country_code, v$country, function(z) { z <- unique(z[!is.na(z)]); if (length(z)) z[1] else "" })
ranges <- function(s) {
  s <- sort(unique(s))
  brk <- c(0, which(diff(s) != 1), length(s))
  paste(sapply(seq_len(length(brk) - 1), function(k) {
    a <- s[brk[k] + 1]; b <- s[brk[k + 1]]
    if (a == b) as.character(a) else paste0(a, "-", b)
  }), collapse = ";")
}
sessions <- tapply(v$session, v$country, ranges)
session_sets <- tapply(v$session, v$country, function(s) sort(unique(s)))
nvotes <- rowSums(!is.na(m))

# ------------------------------------------------------------ the BSV check
bsv_mean <- NULL
if (!is.null(opt$bsv)) {
  b <- read.csv(opt$bsv, stringsAsFactors = FALSE, check.names = FALSE)
  # The BSV file names the FRG differently; every other name of the matrix is
  # spelt as in un_votes.csv (both come from the countrycode package).
  alias <- c("Federal Republic of Germany" = "German Federal Republic")
  bsv_mean <- sapply(names_, function(n) {
    bn <- if (n %in% names(alias)) alias[[n]] else n
    x <- b$IdealPointAll[b$Countryname == bn & b$session %in% session_sets[[n]]]
    x <- x[!is.na(x)]
    if (length(x)) mean(x) else NA_real_
  })
}
pooled_r <- function(value) {
  if (is.null(bsv_mean)) return("")
  ok <- !is.na(bsv_mean)
  sprintf(" pooled_r=%.4f matched=%d", cor(value[ok], bsv_mean[ok]), sum(ok))
}

write_peer <- function(peer, value) {
  if (value[ANCHOR] < 0) value <- -value
  out <- data.frame(country = names_, iso2 = as.character(iso2[names_]),
                    sessions = as.character(sessions[names_]), votes = as.integer(nvotes[names_]),
                    value = sprintf("%.6f", value[names_]), stringsAsFactors = FALSE)
  write.csv(out, file.path(opt$out, paste0(peer, ".csv")), row.names = FALSE, quote = 1:3)
  value
}

# Wall time, and the CPU time of this process (user + system): on a shared
# machine the second is the steadier figure of the two.
wall <- function(d) d[["elapsed"]]
cpu <- function(d) d[["user.self"]] + d[["sys.self"]]

# ------------------------------------------------------------ pscl::ideal
if ("pscl" %in% peers) {
  roll <- rollcall(m, yea = 1, nay = 0, missing = NA, notInLegis = NULL,
                   legis.names = names_, vote.names = colnames(m), desc = "UNGA roll calls")
  set.seed(seed)
  t0 <- proc.time()[["elapsed"]]
  # ideal() prints a banner even when not verbose; stdout is for the results.
  invisible(capture.output(
    fit <- ideal(roll, d = 1, maxiter = maxiter, burnin = burnin, thin = thin,
                 normalize = TRUE, store.item = FALSE, verbose = FALSE)))
  t_pscl <- proc.time() - t0
  value <- fit$xbar[, 1]
  names(value) <- rownames(fit$xbar)
  value <- write_peer("pscl", value)
  emit(sprintf("peer=pscl iterations=%d burnin=%d thin=%d seconds=%.2f cpu_seconds=%.2f%s",
              maxiter, burnin, thin, wall(t_pscl), cpu(t_pscl), pooled_r(value)))
}

# ------------------------------------------------------------ MCMCpack::MCMCirt1d
if ("mcmcpack" %in% peers) {
  cons <- list("+")
  names(cons) <- ANCHOR
  t0 <- proc.time()
  post <- MCMCirt1d(m, theta.constraints = cons, burnin = mcmc_burnin, mcmc = mcmc, thin = 1,
                    verbose = 0, seed = seed, store.item = FALSE, store.ability = TRUE)
  t_mcmc <- proc.time() - t0
  value <- colMeans(post)
  names(value) <- sub("^theta\\.", "", names(value))
  value <- write_peer("mcmcpack", value)
  emit(sprintf("peer=mcmcpack iterations=%d burnin=%d thin=1 seconds=%.2f cpu_seconds=%.2f%s",
              mcmc, mcmc_burnin, wall(t_mcmc), cpu(t_mcmc), pooled_r(value)))
}
