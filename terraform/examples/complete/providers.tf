# One provider per registry slot: the source registry and up to 3 destination registries (Terraform
# cannot create providers from a variable). A slot without a destination is configured like the source
# registry and manages nothing. To grow: copy a destination provider and its module call in main.tf with
# the next index, and raise the limit of var.destinations (README.md, "More destinations").

provider "aws" {
  alias               = "source"
  region              = var.source_registry.region
  allowed_account_ids = [var.accounts[var.source_registry.account].id]

  # An emulator (endpoint set) needs these; the account id stays requested (skip_requesting_account_id = true
  # makes moto lose the replication and scanning configurations after apply).
  skip_requesting_account_id  = false
  s3_use_path_style           = local.emulator
  skip_credentials_validation = local.emulator
  skip_metadata_api_check     = local.emulator
  skip_region_validation      = local.emulator

  dynamic "assume_role" {
    for_each = var.accounts[var.source_registry.account].deploy_role_arn == null ? [] : [var.accounts[var.source_registry.account].deploy_role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "ecr-kms-replication"
    }
  }
  dynamic "endpoints" {
    for_each = local.emulator ? [var.endpoint] : []
    content {
      ecr = endpoints.value
      iam = endpoints.value
      kms = endpoints.value
      s3  = endpoints.value
      sts = endpoints.value
    }
  }
  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias               = "destination_0"
  region              = local.slots[0].region
  allowed_account_ids = [var.accounts[local.slots[0].account].id]

  # An emulator (endpoint set) needs these; the account id stays requested (skip_requesting_account_id = true
  # makes moto lose the replication and scanning configurations after apply).
  skip_requesting_account_id  = false
  s3_use_path_style           = local.emulator
  skip_credentials_validation = local.emulator
  skip_metadata_api_check     = local.emulator
  skip_region_validation      = local.emulator

  dynamic "assume_role" {
    for_each = var.accounts[local.slots[0].account].deploy_role_arn == null ? [] : [var.accounts[local.slots[0].account].deploy_role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "ecr-kms-replication"
    }
  }
  dynamic "endpoints" {
    for_each = local.emulator ? [var.endpoint] : []
    content {
      ecr = endpoints.value
      iam = endpoints.value
      kms = endpoints.value
      s3  = endpoints.value
      sts = endpoints.value
    }
  }
  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias               = "destination_1"
  region              = local.slots[1].region
  allowed_account_ids = [var.accounts[local.slots[1].account].id]

  # An emulator (endpoint set) needs these; the account id stays requested (skip_requesting_account_id = true
  # makes moto lose the replication and scanning configurations after apply).
  skip_requesting_account_id  = false
  s3_use_path_style           = local.emulator
  skip_credentials_validation = local.emulator
  skip_metadata_api_check     = local.emulator
  skip_region_validation      = local.emulator

  dynamic "assume_role" {
    for_each = var.accounts[local.slots[1].account].deploy_role_arn == null ? [] : [var.accounts[local.slots[1].account].deploy_role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "ecr-kms-replication"
    }
  }
  dynamic "endpoints" {
    for_each = local.emulator ? [var.endpoint] : []
    content {
      ecr = endpoints.value
      iam = endpoints.value
      kms = endpoints.value
      s3  = endpoints.value
      sts = endpoints.value
    }
  }
  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias               = "destination_2"
  region              = local.slots[2].region
  allowed_account_ids = [var.accounts[local.slots[2].account].id]

  # An emulator (endpoint set) needs these; the account id stays requested (skip_requesting_account_id = true
  # makes moto lose the replication and scanning configurations after apply).
  skip_requesting_account_id  = false
  s3_use_path_style           = local.emulator
  skip_credentials_validation = local.emulator
  skip_metadata_api_check     = local.emulator
  skip_region_validation      = local.emulator

  dynamic "assume_role" {
    for_each = var.accounts[local.slots[2].account].deploy_role_arn == null ? [] : [var.accounts[local.slots[2].account].deploy_role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "ecr-kms-replication"
    }
  }
  dynamic "endpoints" {
    for_each = local.emulator ? [var.endpoint] : []
    content {
      ecr = endpoints.value
      iam = endpoints.value
      kms = endpoints.value
      s3  = endpoints.value
      sts = endpoints.value
    }
  }
  default_tags {
    tags = var.tags
  }
}
